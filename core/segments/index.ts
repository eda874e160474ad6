export * from './rule';
export * from './recency';
export * from './match';
export * from './query';
export * from './birthday';
export * from './facts';
export * from './window';
