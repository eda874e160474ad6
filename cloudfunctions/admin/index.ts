import { adminFunction } from '../../server/functions/admin';

export const main = adminFunction;
