export * from './schema';
export * from './slots';
export * from './booking';
export * from './state';
