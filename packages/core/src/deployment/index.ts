// The deployment layer's public surface: the mechanism interface, the choice of one, the rolling mechanism, and the pre-flight check that the service has one.
export * from './mechanism';
export * from './mechanism-for';
export * from './rolling/rolling-mechanism';
export * from './supported-service';
