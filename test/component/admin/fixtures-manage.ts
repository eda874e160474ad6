/** Scripted data for the staff management pages (schedule, QR codes, segments); shapes follow core/contracts. */
const everyone = [
  'member.lookup',
  'member.createStoreCode',
  'appointments.schedule',
  'appointments.confirm',
  'appointments.checkIn',
  'appointments.noShow',
  'staff.me',
];
export const advisor = {
  staffId: 'staff_advisor_sh',
  name: '李顾问',
  role: 'advisor',
  storeIds: ['store_sh_xintiandi'],
  permissions: everyone,
};
export const manager = {
  staffId: 'staff_manager_sh',
  name: '王店长',
  role: 'store_manager',
  storeIds: ['store_sh_xintiandi', 'store_sz_wanxiang'],
  permissions: [...everyone, 'appointments.reschedule', 'appointments.cancel', 'dashboard.read'],
};
export const brandAdmin = {
  staffId: 'staff_admin',
  name: '品牌管理员',
  role: 'brand_admin',
  storeIds: [],
  permissions: [...manager.permissions, 'segments.manage', 'campaigns.send', 'journeys.manage'],
};

export const catalogue = {
  services: [],
  stores: [
    { storeId: 'store_sh_xintiandi', name: { zh: '上海新天地店', en: 'Shanghai Xintiandi' }, city: '上海' },
    { storeId: 'store_sz_wanxiang', name: { zh: '深圳万象城店', en: 'Shenzhen MixC' }, city: '深圳' },
  ],
  reminderTemplateId: null,
};

/** A tap on an element carrying `data-*` attributes. */
export const tapWith = (dataset: Record<string, string>) => ({ currentTarget: { dataset } });

export { actions, openLoaded, run, settle } from '../../support/miniprogram/page-calls';
export { setUp, type Harness } from './fixtures-core';

/** The seeded segments as `messaging segments.list` returns them (scripts/seed/demo-brand.ts). */
export const HI_PO_RULE = {
  and: [
    { field: 'isFollower', op: 'is', value: true },
    { field: 'isMember', op: 'is', value: false },
    { field: 'tags', op: 'hasAny', values: ['referred', 'hi-po'] },
  ],
};
export const BIRTHDAY_CLUB_RULE = { not: { field: 'tags', op: 'hasAny', values: ['no-greetings'] } };
export const seededSegments = [
  { id: 'birthday-club', name: '生日关怀', rule: BIRTHDAY_CLUB_RULE, updatedAt: '2026-01-01T00:00:00.000Z' },
  { id: 'hi-po', name: 'Hi-Po 潜力粉丝', rule: HI_PO_RULE, updatedAt: '2026-01-01T00:00:00.000Z' },
];
export const page = <T>(items: T[], hasMore = false, n = 0, pageSize = 20) => ({ items, page: n, pageSize, hasMore });

const noFigures = { entered: 0, sent: 0, skipped: {}, deferred: 0, pending: 0, failed: 0, unknown: 0, converted: 0 };
/** One `messaging campaigns.list` item. */
export const campaignItem = (patch: Record<string, unknown> = {}) => ({
  id: 'cmp-1',
  name: '春装上新',
  state: 'enqueued',
  segment: { id: 'hi-po', name: 'Hi-Po 潜力粉丝' },
  channel: 'subscribe',
  template: 'couponExpiring',
  sendAt: '2026-05-01T02:00:00.000Z',
  createdAt: '2026-05-01T02:00:00.000Z',
  error: null,
  metrics: noFigures,
  ...patch,
});
