import { ROUTES } from '../../../config/routes';
import { can, type Staff } from '../../utils';
import type { HubText } from './text';

type EntryKey =
  | 'scan'
  | 'member'
  | 'audit'
  | 'dashboard'
  | 'couponTemplates'
  | 'schedule'
  | 'qrcodes'
  | 'segments'
  | 'journeys'
  | 'tags'
  | 'insight'
  | 'repair';

/** Each staff tool, the permission (server/staff/permissions.ts) that opens it, and its page. */
const ENTRIES: { key: EntryKey; permission: string; url: string }[] = [
  { key: 'scan', permission: 'coupons.redeem', url: ROUTES.adminScan },
  { key: 'member', permission: 'member.lookup', url: ROUTES.adminMember },
  { key: 'audit', permission: 'audit.read', url: ROUTES.adminAudit },
  { key: 'dashboard', permission: 'dashboard.read', url: ROUTES.adminDashboard },
  { key: 'couponTemplates', permission: 'coupons.manageTemplates', url: ROUTES.adminCouponTemplates },
  { key: 'schedule', permission: 'appointments.schedule', url: ROUTES.adminSchedule },
  { key: 'qrcodes', permission: 'member.createStoreCode', url: ROUTES.adminQrCodes },
  { key: 'segments', permission: 'segments.manage', url: ROUTES.adminSegments },
  { key: 'journeys', permission: 'journeys.manage', url: ROUTES.adminJourneys },
  { key: 'tags', permission: 'tags.manage', url: ROUTES.adminTags },
  { key: 'insight', permission: 'dashboard.read', url: ROUTES.adminInsight },
  { key: 'repair', permission: 'lifecycle.rebuild', url: ROUTES.adminRepair },
];

export interface Entry {
  key: EntryKey;
  title: string;
  hint: string;
  url: string;
}

/** The tools this staff member may use, in a fixed order; nothing for a non-staff person. */
export const entriesFor = (staff: Staff | null, text: HubText): Entry[] =>
  ENTRIES.filter((e) => can(staff, e.permission)).map((e) => ({
    key: e.key,
    title: text[e.key],
    hint: text[`${e.key}Hint`],
    url: e.url,
  }));
