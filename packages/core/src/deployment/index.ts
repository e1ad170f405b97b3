// The deployment layer's public surface: the mechanism interface, the choice of one, and the rolling mechanism.
export * from './mechanism';
export * from './mechanism-for';
export * from './rolling/rolling-mechanism';
