export * from './catalogue';
export * from './behaviour';
