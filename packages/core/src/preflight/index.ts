// The preflight layer's public surface: checks, their runner, and today's guards as checks.
export * from './check';
export * from './check-errors';
export * from './mode-input';
export * from './run';
export * from './table';
export * from './checks/alarms-exist';
export * from './checks/awsvpc-subnets';
export * from './checks/file-fields';
export * from './checks/file-renders';
export * from './checks/load-balanced-container';
export * from './checks/no-concurrent-migration';
export * from './checks/revision-active';
export * from './checks/service-exists';
export * from './checks/supported-controller';
export * from './checks/images-exist';
export * from './checks/log-groups-exist';
export * from './checks/secrets-exist';
