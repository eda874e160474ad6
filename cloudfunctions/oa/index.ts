import { oaFunction } from '../../server/functions/oa';

export const main = oaFunction;
