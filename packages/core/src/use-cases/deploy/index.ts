// deploy-ecs's use case.
export * from './audit-trail';
export * from './base-definition';
export * from './deploy-service';
export * from './preflight';
export * from './request';
export * from './register-only';
