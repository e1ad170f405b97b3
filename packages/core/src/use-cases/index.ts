// The use-cases layer's public surface: one use case per action.
export * from './build-push';
export * from './deploy';
export * from './roll-back';
export * from './run-migration';
export * from './verify-health';
