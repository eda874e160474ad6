import { memberContracts } from './member';
import { appointmentsContracts } from './appointments';
import { pointsContracts } from './points';
import { couponsContracts } from './coupons';
import { messagingContracts } from './messaging';
import { ordersContracts } from './orders';
import { adminContracts } from './admin';
import { referralContracts } from './referral';
import { behaviourContracts } from './behaviour';
import { emailContracts } from './email';

/**
 * Every cloud function's actions, by function name. The server parses input with these schemas;
 * the Mini Program takes its request and response types from them (type-only imports).
 */
export const contracts = {
  member: { ...memberContracts, ...behaviourContracts, ...emailContracts },
  appointments: appointmentsContracts,
  points: pointsContracts,
  coupons: couponsContracts,
  messaging: messagingContracts,
  orders: ordersContracts,
  admin: adminContracts,
  referral: referralContracts,
} as const;

export type Contracts = typeof contracts;
export type FunctionName = keyof Contracts;
export type ActionName<F extends FunctionName> = keyof Contracts[F] & string;

export * from './common';
