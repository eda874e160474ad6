import { couponsFunction } from '../../server/functions/coupons';

export const main = couponsFunction;
