// auto-rollback's use case.
export * from './report';
export * from './request';
export * from './roll-back-service';
export * from './target';
