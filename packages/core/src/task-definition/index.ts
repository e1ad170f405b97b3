// The task-definition layer's public surface.
export * from './compare';
export * from './diff';
export * from './drift';
export * from './load';
export * from './register';
export * from './render';
export * from './strip';
export * from './secret-values';
export * from './fields';
export * from './register-model';
export * from './secret-references';
export * from './step-inputs';
export * from './reference-input';
export * from './revision-tags';
