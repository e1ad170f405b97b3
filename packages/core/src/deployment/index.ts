// The deployment layer's public surface: the mechanism interface, the choice of one, the rolling and blue/green mechanisms, and the pre-flight check that the service has one.
export * from './blue-green/bake-time';
export * from './blue-green/blue-green-mechanism';
export * from './codedeploy/index';
export * from './mechanism';
export * from './mechanism-for';
export * from './rolling/rolling-mechanism';
export * from './supported-service';
