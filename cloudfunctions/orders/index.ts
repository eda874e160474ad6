import { ordersFunction } from '../../server/functions/orders';

export const main = ordersFunction;
