import { resetApp } from '../../support/miniprogram/app-modules';
import { installFakeWx, type FakeWx } from '../../support/miniprogram/fake-wx';

/** Scripted data for the member pages (issues 4 and 5): shapes follow core/contracts. */
const at = '2026-05-01T02:00:00.000Z';
export const visitorView = {
  memberId: 'm1',
  state: 'visitor',
  firstSeenAt: at,
  lastSeenAt: at,
  isNew: true,
  card: null,
  profile: { nickname: null, avatarUrl: null },
  attribution: { first: null, last: null },
  phoneBound: false,
  marketingOptIn: false,
};
export const memberView = {
  ...visitorView,
  state: 'member',
  isNew: false,
  card: { cardNo: '880000012345', tier: '银卡', points: 1200, claimedAt: at },
};

export const coupon = (patch: Record<string, unknown> = {}) => ({
  couponId: 'c1',
  templateId: 'tpl_10off',
  name: { zh: '入会礼 9 折券', en: '10% off welcome' },
  benefit: { kind: 'percentOff', percent: 10 },
  minSpendFen: 0,
  storeIds: null,
  claimedAt: at,
  validFrom: at,
  validUntil: '2026-06-01T16:00:00.000Z',
  usedAt: null,
  status: 'available',
  ...patch,
});

export const offer = (patch: Record<string, unknown> = {}) => ({
  templateId: 'tpl_50',
  name: { zh: '满 300 减 50' },
  benefit: { kind: 'amountOff', amountFen: 5000 },
  minSpendFen: 30000,
  validity: { kind: 'daysAfterClaim', days: 30 },
  totalStock: 100,
  remaining: 42,
  perMemberLimit: 1,
  claimedByMember: 0,
  pointsCost: null,
  claimable: true,
  blocked: null,
  ...patch,
});

/** A silver member's `points.summary` with `balance` points, gold being 2,000. */
export const pointsSummary = (balance: number, spendable: number, expiring: { total: number; earliest: string }) => ({
  memberId: 'm1',
  balance,
  spendable,
  expiringSoon: { ...expiring, withinDays: 30 },
  tier: { id: 'silver', name: { zh: '银卡', en: 'Silver' } },
  nextTier: { id: 'gold', name: { zh: '金卡', en: 'Gold' } },
  progress: {
    basis: 'points',
    value: balance,
    missing: 2000 - balance,
    ratio: balance / 2000,
    message: { zh: `再得 ${2000 - balance} 积分升级金卡`, en: `${2000 - balance} more points to Gold` },
  },
});

export interface Harness {
  wx: FakeWx;
  modalAnswers: boolean[];
  modals: string[];
  switched: string[];
  relaunched: string[];
  clipboard: string[];
  uploads: { cloudPath: string; filePath: string }[];
}

/** A fresh fake `wx` with the extra APIs the member pages use (modal, switchTab, reLaunch, clipboard, upload). */
export function setUp(): Harness {
  const wx = installFakeWx();
  resetApp();
  const h: Harness = { wx, modalAnswers: [], modals: [], switched: [], relaunched: [], clipboard: [], uploads: [] };
  Object.assign(wx.api, {
    showModal: (o: { content: string; success?: (r: { confirm: boolean }) => void }) => {
      h.modals.push(o.content);
      o.success?.({ confirm: h.modalAnswers.shift() ?? true });
    },
    switchTab: (o: { url: string }) => void h.switched.push(o.url),
    reLaunch: (o: { url: string }) => void h.relaunched.push(o.url),
    setClipboardData: (o: { data: string; success?: () => void }) => {
      h.clipboard.push(o.data);
      o.success?.();
    },
  });
  Object.assign(wx.api.cloud as object, {
    uploadFile: (o: { cloudPath: string; filePath: string }) => {
      h.uploads.push(o);
      return Promise.resolve({ fileID: `cloud://env.bucket/${o.cloudPath}`, statusCode: 200 });
    },
  });
  return h;
}

export { actions, inputOf, openLoaded, run, settle } from '../../support/miniprogram/page-calls';
