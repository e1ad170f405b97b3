// The logs layer's public surface.
export * from './log-follower';
export * from './log-tail';
