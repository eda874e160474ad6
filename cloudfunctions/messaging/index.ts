import { messagingFunction } from '../../server/functions/messaging';

export const main = messagingFunction;
