export * from './deployment-id';
export * from './links';
export * from './read-deployment';
export * from './stages';
export * from './statuses';
export * from './target';
