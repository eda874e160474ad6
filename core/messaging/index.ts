export * from './consent';
export * from './prefs';
export * from './decide';
export * from './retry';
export * from './deadline';
