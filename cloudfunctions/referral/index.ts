import { referralFunction } from '../../server/functions/referral';

export const main = referralFunction;
