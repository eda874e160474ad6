import type { Dict } from '../i18n/index';

/** Words for appointments, shared by the bookings tab and the booking subpackage. */
export { textIn as nameIn } from '../i18n/index';

const STATUS_KEYS = {
  requested: 'statusRequested',
  confirmed: 'statusConfirmed',
  checked_in: 'statusCheckedIn',
  no_show: 'statusNoShow',
  cancelled: 'statusCancelled',
} as const;
export type AppointmentStatus = keyof typeof STATUS_KEYS;
export const statusText = (status: AppointmentStatus, text: Dict): string => text.booking[STATUS_KEYS[status]];
