import type { PageText, PageTexts } from '../../../utils/page-text';
import en from './en.json';
import zh from './zh.json';

/** The audit trail page's text (Chinese first; English with the same keys). */
export type AuditText = PageText<typeof zh>;
export const texts: PageTexts<AuditText> = { zh, en };
/** The actions offered as filter chips (the most common staff actions). */
export const FILTER_ACTIONS = [
  'coupons.redeem',
  'points.adjust',
  'members.tag',
  'appointments.checkIn',
  'staff.invite',
] as const;
