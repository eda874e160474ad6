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
export const DEMO_MEMBER = { openid: 'o_preview_member', name: '林小满' } as const;

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

type Answer = { result?: { ok: boolean; data?: Record<string, unknown>; error?: { code: string; message: string } }; errMsg?: string };

async function act(t: Target, openid: string, fn: string, action: string, input: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${t.url}/invoke/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid, data: { action, ...input } }) });
  const a = (await res.json()) as Answer;
  if (!a.result?.ok) throw new Error(`demo story: ${fn}.${action} failed: ${a.result?.error?.code ?? a.errMsg} ${a.result?.error?.message ?? ''}`);
  return a.result.data ?? {};
}

/** A paid order as the source's system sends it, signed with the source's development secret (the emulator's functions run in development). */
async function syncPaidOrder(t: Target, source: string, orderNo: string, totalFen: number, paidAt: Date, category: string): Promise<void> {
  const s = loadBrandConfig().config.orderSync.sources.find((x) => x.name === source);
  if (!s) return;
  const body = JSON.stringify({ orders: [{
    source, orderNo, customer: [{ type: 'openid', value: DEMO_MEMBER.openid }], amounts: { totalFen },
    items: [{ sku: `${category}-1`, name: category === 'qipao' ? '真丝旗袍' : '盘扣披肩', category, qty: 1, priceFen: totalFen }],
    status: 'paid', createdAt: paidAt.toISOString(), paidAt: paidAt.toISOString(), updatedAt: paidAt.toISOString(),
  }] });
  const path = '/http/orders/sync';
  const headers = signedHeaders(devSecret(s.secretEnv), source, { method: 'POST', path, nonce: randomBytes(12).toString('hex'), body, at: await clockOf(t) });
  const res = await fetch(`${t.url}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
  const answer = (await res.json()) as { ok: boolean; data?: { accepted: number } };
  if (!answer.ok || answer.data?.accepted !== 1) throw new Error(`demo story: order ${orderNo} from ${source} refused: ${JSON.stringify(answer)}`);
}

async function clockOf(t: Target): Promise<Date> {
  return new Date(((await (await fetch(`${t.url}/clock`)).json()) as { now: string }).now);
}

/** Books the first open fitting slot of the coming week, if there is one. */
async function bookFitting(t: Target, now: Date): Promise<void> {
  const from = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const week = await act(t, DEMO_MEMBER.openid, 'appointments', 'availability', { storeId: DEMO_STORE, serviceId: 'svc_qipao_fitting', from, days: 7 });
  const slot = (week.days as { open: boolean; slots: { start: string; remaining: number }[] }[]).flatMap((d) => (d.open ? d.slots : [])).find((s) => s.remaining > 0);
  if (slot) await act(t, DEMO_MEMBER.openid, 'appointments', 'book', { storeId: DEMO_STORE, serviceId: 'svc_qipao_fitting', start: slot.start, requestId: 'demo-story-fitting' });
}

export async function playDemoStory(t: Target): Promise<DemoStory> {
  const m = DEMO_MEMBER.openid;
  const scene = (await act(t, 'o_demo_advisor', 'member', 'createStoreCode', { storeId: DEMO_STORE, campaign: 'demo' })).scene as string;
  const first = await act(t, m, 'member', 'login', { scene });
  const held = first.card as { cardNo: string } | null;
  if (held) return { played: false, scene, memberId: first.memberId as string, cardNo: held.cardNo };
  const claimed = await act(t, m, 'member', 'claimCard', { name: DEMO_MEMBER.name, birthday: '1992-10-08', gender: 'female', language: 'zh', consents: { privacyVersion: '2026-01', marketingOptIn: true } });
  const now = await clockOf(t);
  const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
  await syncPaidOrder(t, 'pos', 'SU-SH-0001', 88_000, daysAgo(12), 'qipao');
  await syncPaidOrder(t, 'tmall', 'TM-7001', 30_000, daysAgo(5), 'accessories');
  await act(t, m, 'coupons', 'claim', { templateId: 'tpl_spring_50', requestId: 'demo-story-spring' });
  await bookFitting(t, now);
  return { played: true, scene, memberId: claimed.memberId as string, cardNo: (claimed.card as { cardNo: string }).cardNo };
}
