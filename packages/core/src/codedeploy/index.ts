export * from './deployment-id';
export * from './group-deployments';
export * from './read-deployment';
export * from './revision';
export * from './stages';
export * from './statuses';
export * from './target';
export * from './waits';
