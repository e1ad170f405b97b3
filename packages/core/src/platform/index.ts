// The platform layer's public surface.
export * from './actions-logger';
export * from './cancellation';
export * from './deployments';
export * from './exec';
export * from './job-summary';
export * from './masking';
export * from './run-action';
export * from './runner-inputs';
