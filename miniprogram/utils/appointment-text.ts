import type { Dict, Lang } from '../i18n/index';

/** Words for appointments, shared by the bookings tab and the booking subpackage. */
export const nameIn = (name: { zh: string; en?: string }, lang: Lang): string => (lang === 'en' && name.en ? name.en : name.zh);

const STATUS_KEYS = {
  requested: 'statusRequested',
  confirmed: 'statusConfirmed',
  checked_in: 'statusCheckedIn',
  no_show: 'statusNoShow',
  cancelled: 'statusCancelled',
} as const;
export type AppointmentStatus = keyof typeof STATUS_KEYS;
export const statusText = (status: AppointmentStatus, text: Dict): string => text.booking[STATUS_KEYS[status]];
