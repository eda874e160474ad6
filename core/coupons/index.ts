export * from './template';
export * from './claim';
export * from './redeem';
export * from './code';
export * from './exchange';
export * from './stock';
