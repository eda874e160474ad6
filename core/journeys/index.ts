export * from './duration';
export * from './schema';
export * from './types';
export * from './conditions';
export * from './engine';
export * from './seeds';
export * from './issues';
export * from './versions';
