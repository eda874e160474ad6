export * from './config';
export * from './token';
export * from './decide';
export * from './reward';
