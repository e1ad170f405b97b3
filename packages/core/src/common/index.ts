// The common layer's public surface.
export * from './audit-trail';
export * from './aws';
export * from './cancellation';
export * from './command';
export * from './command-runner';
export * from './duration';
export * from './errors';
export * from './identifiers';
export * from './inputs';
export * from './logger';
export * from './poll';
export * from './regions';
export * from './retry';
export * from './secret-values';
export * from './skipped-reads';
export * from './unreachable';
export * from './version';
