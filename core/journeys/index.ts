export * from './duration';
export * from './schema';
export * from './types';
export * from './conditions';
export * from './engine';
export * from './seeds';
