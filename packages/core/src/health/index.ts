// The health layer's public surface.
export * from './alarm-signals';
export * from './crashed-task-signals';
export * from './expected-status';
export * from './health-inputs';
export * from './health-plan';
export * from './health-summary';
export * from './http-probe';
export * from './judge';
export * from './latency';
export * from './service-signals';
export * from './signals';
export * from './traffic-shifting-steadiness';
export * from './url-stats';
export * from './verify-health';
