export * from './messages';
export * from './brand';
export * from './join-rewards';
