export * from './config';
export * from './evaluate';
export * from './progress';
