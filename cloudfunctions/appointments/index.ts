import { appointmentsFunction } from '../../server/functions/appointments';

export const main = appointmentsFunction;
