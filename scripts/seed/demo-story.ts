import { randomBytes } from 'node:crypto';
import { signedHeaders } from '../../core/signing/hmac';
import { loadBrandConfig } from '../../server/config/load';
import { devSecret } from '../../server/http/secrets';

/**
 * The demo brand's first days, played through the product's own actions on a running emulator, so
 * every figure a newcomer sees agrees with its ledger. At each start the advisor at Xintiandi
 * prints her code (its scene is what a newcomer scans to replay seed 003). Once per database,
 * 林小满 (the preview's member persona) scans it, claims the card (the welcome coupon and the
 * sign-up bonus), buys at the store's POS and on Tmall (synced, signed, earning points that make
 * her silver), claims the spring coupon and books a fitting; when she already holds her card, the
 * story is there.
 */
export const DEMO_STORE = 'store_sh_xintiandi';
export const DEMO_MEMBER = { openid: 'o_preview_member', name: '林小满', nickname: '小满' } as const;
const FITTING = 'svc_qipao_fitting';

export interface DemoStory {
  played: boolean;
  /** The scene of the code the advisor printed this time (store and advisor): what Nancy scans in seed 003. */
  scene: string;
  memberId: string;
  cardNo: string;
}

interface Target {
  url: string;
}

interface Answer {
  result?: { ok: boolean; data?: Record<string, unknown>; error?: { code: string; message: string } };
  errMsg?: string;
}

const postJson = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });

async function act(t: Target, openid: string, fn: string, action: string, input: Record<string, unknown> = {}) {
  const res = await postJson(`${t.url}/invoke/${fn}`, JSON.stringify({ openid, data: { action, ...input } }));
  const a = (await res.json()) as Answer;
  if (!a.result?.ok) {
    const why = a.result?.error ? `${a.result.error.code} ${a.result.error.message}` : a.errMsg;
    throw new Error(`demo story: ${fn}.${action} failed: ${why}`);
  }
  return a.result.data ?? {};
}

async function clockOf(t: Target): Promise<Date> {
  return new Date(((await (await fetch(`${t.url}/clock`)).json()) as { now: string }).now);
}

interface PaidOrder {
  orderNo: string;
  totalFen: number;
  paidAt: Date;
  item: string;
  category: string;
}

/** A paid order as the source's system sends it, signed with the source's development secret (the emulator's). */
async function syncPaidOrder(t: Target, source: string, o: PaidOrder) {
  const s = loadBrandConfig().config.orderSync.sources.find((x) => x.name === source);
  if (!s) return;
  const paid = o.paidAt.toISOString();
  const customer = [{ type: 'openid', value: DEMO_MEMBER.openid }];
  const order = {
    source,
    orderNo: o.orderNo,
    customer,
    amounts: { totalFen: o.totalFen },
    items: [{ sku: `${o.category}-1`, name: o.item, category: o.category, qty: 1, priceFen: o.totalFen }],
    status: 'paid',
    createdAt: paid,
    paidAt: paid,
    updatedAt: paid,
  };
  const body = JSON.stringify({ orders: [order] });
  const path = '/http/orders/sync';
  const nonce = randomBytes(12).toString('hex');
  const at = await clockOf(t);
  const headers = signedHeaders(devSecret(s.secretEnv), source, { method: 'POST', path, nonce, body, at });
  const res = await postJson(`${t.url}${path}`, body, headers);
  const answer = (await res.json()) as { ok: boolean; data?: { accepted: number } };
  if (answer.ok && answer.data?.accepted === 1) return;
  throw new Error(`demo story: order ${o.orderNo} refused: ${JSON.stringify(answer)}`);
}

/** Books the first open fitting slot of the coming week, if there is one. */
async function bookFitting(t: Target, now: Date): Promise<void> {
  const from = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const where = { storeId: DEMO_STORE, serviceId: FITTING };
  const week = await act(t, DEMO_MEMBER.openid, 'appointments', 'availability', { ...where, from, days: 7 });
  const days = week.days as { open: boolean; slots: { start: string; remaining: number }[] }[];
  const slot = days.flatMap((d) => (d.open ? d.slots : [])).find((s) => s.remaining > 0);
  if (!slot) return;
  const requestId = 'demo-story-fitting';
  await act(t, DEMO_MEMBER.openid, 'appointments', 'book', { ...where, start: slot.start, requestId });
}

export interface MemberStory {
  played: boolean;
  memberId: string;
  cardNo: string;
}

/**
 * 林小满's card and purchases: she logs in (from the store code when `scene` is given: the welcome
 * coupon follows that attribution), claims her card (the sign-up bonus) and picks her nickname; her
 * POS and Tmall orders are synced, signed, earning the points that make her silver. Nothing happens
 * when she holds a card.
 */
export async function playMemberStory(t: Target, scene?: string): Promise<MemberStory> {
  const m = DEMO_MEMBER.openid;
  const first = await act(t, m, 'member', 'login', scene ? { scene } : {});
  const held = first.card as { cardNo: string } | null;
  if (held) return { played: false, memberId: first.memberId as string, cardNo: held.cardNo };
  const consents = { privacyVersion: '2026-01', marketingOptIn: true };
  const profile = { name: DEMO_MEMBER.name, birthday: '1992-10-08', gender: 'female', language: 'zh', consents };
  const claimed = await act(t, m, 'member', 'claimCard', profile);
  await act(t, m, 'member', 'updateProfile', { nickname: DEMO_MEMBER.nickname });
  const now = await clockOf(t);
  const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
  const qipao = { item: '真丝旗袍', category: 'qipao' };
  const shawl = { item: '盘扣披肩', category: 'shawl' };
  await syncPaidOrder(t, 'pos', { orderNo: 'SU-SH-0001', totalFen: 88_000, paidAt: daysAgo(12), ...qipao });
  await syncPaidOrder(t, 'tmall', { orderNo: 'TM-7001', totalFen: 30_000, paidAt: daysAgo(5), ...shawl });
  const card = claimed.card as { cardNo: string };
  return { played: true, memberId: claimed.memberId as string, cardNo: card.cardNo };
}

export async function playDemoStory(t: Target): Promise<DemoStory> {
  const code = await act(t, 'o_demo_advisor', 'member', 'createStoreCode', { storeId: DEMO_STORE, campaign: 'demo' });
  const scene = code.scene as string;
  const member = await playMemberStory(t, scene);
  if (!member.played) return { ...member, scene };
  await act(t, DEMO_MEMBER.openid, 'coupons', 'claim', { templateId: 'tpl_spring_50', requestId: 'demo-story-spring' });
  await bookFitting(t, await clockOf(t));
  return { ...member, scene };
}
