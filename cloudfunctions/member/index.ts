import { memberFunction } from '../../server/functions/member';

export const main = memberFunction;
