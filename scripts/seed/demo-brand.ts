import { splitStock, stockShardId, STOCK_SHARDS } from '../../core/coupons';
import { publication, SEED_JOURNEYS } from '../../core/journeys';

const SEEDED_AT = new Date('2026-01-01T00:00:00Z');
const SEED_PUBLICATIONS = SEED_JOURNEYS.map((j) => publication(j, 0, SEEDED_AT, 'seed'));

type Terms = Record<string, unknown> & { name: { zh: string; en?: string }; benefit: Record<string, unknown> };

/** A coupon template as staff create it: no spending floor, valid 30 days after the claim, granted by rules. */
export const couponTemplate = (templateId: string, terms: Terms & { totalStock?: number | null }) => ({
  _id: templateId,
  templateId,
  minSpendFen: 0,
  validity: { kind: 'daysAfterClaim', days: 30 },
  totalStock: null as number | null,
  perMemberLimit: null as number | null,
  channels: ['grant'],
  storeIds: null,
  paused: false,
  ...terms,
});
type Template = ReturnType<typeof couponTemplate>;

/** Templates as the server keeps them: with their stock bookkeeping, and limited stock split over shards. */
export const templateDocuments = (templates: Template[]) => ({
  // fields per couponTemplateSchema (core/coupons/template.ts) and the server's stock bookkeeping (server/coupons/templates.ts)
  coupon_templates: templates.map((t) => ({ ...t, issued: 0, stockVersion: 0, stockShards: STOCK_SHARDS })),
  // limited stock split over shards as the server makes them (server/coupons/stock.ts); unlimited ones get theirs on first use
  coupon_stock: templates.flatMap((t) =>
    t.totalStock === null
      ? []
      : splitStock(t.totalStock).map((left, k) => ({
          _id: stockShardId(t._id, k),
          templateId: t._id,
          k,
          left,
          issued: 0,
        })),
  ),
});

export const demoCouponTemplates = [
  couponTemplate('tpl_welcome_10off', {
    name: { zh: '入会礼 9 折券', en: 'Welcome 10% off' },
    benefit: { kind: 'percentOff', percent: 10 },
    perMemberLimit: 1,
  }),
  couponTemplate('tpl_referral_20', {
    name: { zh: '好友邀请 20 元券', en: 'Referral 20 RMB voucher' },
    benefit: { kind: 'amountOff', amountFen: 2000 },
    minSpendFen: 10000,
    validity: { kind: 'daysAfterClaim', days: 60 },
    perMemberLimit: 10,
  }),
  couponTemplate('tpl_spring_50', {
    name: { zh: '春装满 500 减 50', en: 'Spring: 50 off 500' },
    benefit: { kind: 'amountOff', amountFen: 5000 },
    minSpendFen: 50000,
    validity: { kind: 'daysAfterClaim', days: 14 },
    totalStock: 100,
    perMemberLimit: 1,
    channels: ['claimCentre'],
  }),
  // granted by the seed journey `birthday-greeting` on the member's birthday
  couponTemplate('birthday-gift', {
    name: { zh: '生日礼 50 元券', en: 'Birthday 50 RMB voucher' },
    benefit: { kind: 'amountOff', amountFen: 5000 },
  }),
  // points mall
  couponTemplate('tpl_mall_silk_scarf', {
    name: { zh: '真丝方巾兑换券', en: 'Silk scarf gift' },
    benefit: { kind: 'gift', gift: { zh: '真丝方巾一条', en: 'One silk scarf' } },
    totalStock: 50,
    perMemberLimit: 2,
    channels: ['pointsMall'],
    pointsCost: 800,
  }),
  couponTemplate('tpl_mall_30', {
    name: { zh: '30 元代金券（积分兑换）', en: '30 RMB voucher (points)' },
    benefit: { kind: 'amountOff', amountFen: 3000 },
    minSpendFen: 20000,
    channels: ['pointsMall'],
    pointsCost: 300,
  }),
];

/**
 * The demo brand `npm start` loads: Taste of Su (seed 003), a qipao retailer with two stores,
 * staff of each role and the coupon templates its stories use. Later features extend it.
 */
export const demoBrand = {
  brand: [
    {
      _id: 'brand',
      name: { zh: '苏韵旗袍', en: 'Taste of Su' },
      timeZone: 'Asia/Shanghai',
      primaryColor: '#8B1E3F',
    },
  ],
  stores: [
    {
      _id: 'store_sh_xintiandi',
      name: { zh: '上海新天地店', en: 'Shanghai Xintiandi' },
      city: '上海',
      openingHours: '10:00-22:00',
    },
    {
      _id: 'store_sz_wanxiang',
      name: { zh: '深圳万象城店', en: 'Shenzhen MixC' },
      city: '深圳',
      openingHours: '10:00-22:00',
    },
  ],
  staff: [
    { _id: 'staff_admin', openid: 'o_demo_admin', name: '品牌管理员', role: 'brand_admin', storeIds: [] },
    {
      _id: 'staff_manager_sh',
      openid: 'o_demo_manager',
      name: '王店长',
      role: 'store_manager',
      storeIds: ['store_sh_xintiandi'],
    },
    {
      _id: 'staff_advisor_sh',
      openid: 'o_demo_advisor',
      name: '李顾问',
      role: 'advisor',
      storeIds: ['store_sh_xintiandi'],
    },
  ],
  ...templateDocuments(demoCouponTemplates),
  // appointments (issue 7): services per store, opening hours with a holiday
  services: [
    {
      _id: 'svc_qipao_fitting',
      storeIds: ['store_sh_xintiandi', 'store_sz_wanxiang'],
      active: true,
      name: { zh: '旗袍量体', en: 'Qipao tailoring fitting' },
      durationMinutes: 60,
      capacityPerSlot: 2,
      price: { kind: 'free' },
      bookingWindowDays: 30,
      minLeadMinutes: 60,
      cancellationCutoffHours: 24,
      autoConfirm: false,
      requiredSkills: [],
    },
    {
      _id: 'svc_makeup',
      storeIds: ['store_sh_xintiandi'],
      active: true,
      name: { zh: '妆容', en: 'Make-up' },
      durationMinutes: 60,
      slotStepMinutes: 30,
      capacityPerSlot: 3,
      price: { kind: 'paid', amountFen: 19900 },
      bookingWindowDays: 14,
      minLeadMinutes: 120,
      cancellationCutoffHours: 12,
      autoConfirm: true,
      requiredSkills: [],
    },
  ],
  store_hours: ['store_sh_xintiandi', 'store_sz_wanxiang'].map((storeId) => ({
    _id: storeId,
    timeZone: 'Asia/Shanghai',
    weekly: Object.fromEntries(
      ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [{ open: '10:00', close: '22:00' }]]),
    ),
    exceptions: [
      { date: '2027-02-06', closed: true, note: '除夕休息' },
      { date: '2026-12-31', ranges: [{ open: '10:00', close: '24:00' }], note: '跨年夜延长营业' },
    ],
  })),
  // the seed journeys, published as version 1 the way staff publish (live and enabled); the segments they name
  journeys: SEED_PUBLICATIONS.map((p) => ({ _id: p.live.id, ...p.doc })),
  journey_versions: SEED_PUBLICATIONS.map((p) => p.version),
  segments: [
    {
      _id: 'hi-po',
      name: 'Hi-Po 潜力粉丝',
      rule: {
        and: [
          { field: 'isFollower', op: 'is', value: true },
          { field: 'isMember', op: 'is', value: false },
          { field: 'tags', op: 'hasAny', values: ['referred', 'hi-po'] },
        ],
      },
      updatedBy: 'staff_admin',
      updatedAt: new Date('2026-01-01T00:00:00Z'),
    },
    {
      _id: 'birthday-club',
      name: '生日关怀',
      rule: { not: { field: 'tags', op: 'hasAny', values: ['no-greetings'] } },
      updatedBy: 'staff_admin',
      updatedAt: new Date('2026-01-01T00:00:00Z'),
    },
  ],
} as const;
