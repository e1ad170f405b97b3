// The use-cases layer's public surface: one use case per action.
export * from './deploy';
export * from './ports';
export * from './roll-back';
