/** Scripted referral answers for the referral pages: shapes follow core/contracts/referral.ts. */
export const INVITE = 'packageReferral/pages/invite/index';
export const LANDING = 'packageReferral/pages/landing/index';
export const LANDING_ROUTE = '/packageReferral/pages/landing/index';

/** A token as the server issues them: `<memberId>.<day36>.<signature>`. */
export const TOKEN = 'm_nancy01.k3f.Zx-9_aB';

export const share = (patch: Record<string, unknown> = {}) => ({
  token: TOKEN,
  path: `pages/home/index?ref=${encodeURIComponent(TOKEN)}`,
  scene: 'r=abc123xyz',
  expiresOn: '2026-05-31',
  poster: null,
  ...patch,
});

const voucher = { templateId: 'tpl_referral_20', name: '好友邀请 20 元券', amountFen: 2000, minSpendFen: 10000 };
export const landing = (patch: Record<string, unknown> = {}) => ({
  valid: true,
  referrer: { name: '南*', avatarUrl: null },
  offer: voucher,
  referrerOffer: voucher,
  rewardOn: 'join',
  ...patch,
});
export const invalidLanding = { valid: false, referrer: null, offer: null, referrerOffer: null, rewardOn: 'join' };

export const friend = (i: number, patch: Record<string, unknown> = {}) => ({
  name: `好友${i}`,
  status: 'opened',
  openedAt: '2026-05-01T02:00:00.000Z',
  reward: 'none',
  rewardReleaseAt: null,
  ...patch,
});
/** One page of `referral.mine` (20 a page): `page`, and whether more follow. */
export const mine = (
  friends: unknown[],
  rewards = { earned: 0, pending: friends.length, cancelled: 0 },
  page = 0,
  hasMore = false,
  total = friends.length,
) => ({ page, pageSize: 20, hasMore, total, friends, rewards });
