export * from './deployment-id';
export * from './read-deployment';
export * from './stages';
export * from './statuses';
export * from './target';
export * from './ready-wait';
export * from './deployment-answer';
export * from './termination-wait';
