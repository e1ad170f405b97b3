// The deployment layer's public surface: the mechanism interface, the choice of one, and the rolling mechanism.
export * from './mechanism';
export * from './mechanism-for';
export * from './rolling/rolling-mechanism';
export * from './rolling/roll-back';
export * from './rolling/start';
export * from './rolling/stop-rollback';
