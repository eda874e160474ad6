export * from './scene';
export * from './card-number';
export * from './member-code';
export * from './oa';
export * from './merge';
export * from './member';
