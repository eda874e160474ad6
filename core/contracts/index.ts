import { memberContracts } from './member';

/**
 * Every cloud function's actions, by function name. The server parses input with these schemas;
 * the Mini Program takes its request and response types from them (type-only imports).
 */
export const contracts = {
  member: memberContracts,
} as const;

export type Contracts = typeof contracts;
export type FunctionName = keyof Contracts;
export type ActionName<F extends FunctionName> = keyof Contracts[F] & string;

export * from './common';
