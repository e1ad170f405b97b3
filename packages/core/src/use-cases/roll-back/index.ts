// auto-rollback's use case.
export * from './preflight';
export * from './report';
export * from './request';
export * from './roll-back-service';
export * from './target';
export * from './deployed-services';
export * from './roll-back-services';
