import { pointsFunction } from '../../server/functions/points';

export const main = pointsFunction;
