// run-migration's use case and the pieces it is made of.
export * from './cancellation';
export * from './concurrency';
export * from './definition';
export * from './follow';
export * from './preflight';
export * from './report';
export * from './request';
export * from './run-migration';
export * from './run-task';
export * from './started-by';
export * from './stop-task';
export * from './verdict';
