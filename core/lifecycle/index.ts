export * from './config';
export * from './facts';
export * from './stage';
