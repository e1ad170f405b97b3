// build-push's use case and the pieces it is made of.
export * from './args';
export * from './build';
export * from './build-and-push';
export * from './build-output';
export * from './builder';
export * from './buildx-cache';
export * from './buildx-setup';
export * from './commit';
export * from './login';
export * from './plan';
export * from './registry-config';
export * from './repository';
export * from './request';
export * from './scan-gate';
export * from './severity';
export * from './summary';
export * from './tag-existing';
