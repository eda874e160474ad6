export * from './rfm';
export * from './ltv';
export * from './rules';
export * from './tags';
export * from './timeline';
