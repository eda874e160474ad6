export * from './messages';
export * from './brand';
