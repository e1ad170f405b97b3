// verify-health's use case and the pieces it is made of.
export * from './aws-signals';
export * from './codedeploy-gate';
export * from './deployment-gate';
export * from './pause-gate';
export * from './ready-gate';
export * from './request';
export * from './run-health-check';
export * from './termination-wait-gate';
