// CodeDeploy blue/green for ECS: the mechanism, and the pieces a rollback reuses (AppSpec, start, watch, group).
export * from './appspec';
export * from './codedeploy-mechanism';
export * from './deployment-group';
export * from './follow';
export * from './group-check';
export * from './in-flight';
export * from './roll-back';
export * from './settings';
export * from './start';
export * from './verdict';
export * from './wait-time';
export * from './watch';
