// The report layer's public surface.
export * from './markdown';
export * from './timeline';
