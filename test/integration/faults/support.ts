import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { connectSdk } from '../../support/sdk';
import { demoBrand } from '../../../scripts/seed/demo-brand';
import { functionsDirWith, order, separateEmulator, syncOrders } from '../orders/support';
import { ledgerOf } from '../points/value-fixtures';

type Db = ReturnType<typeof connectSdk>['db'];

export interface Suite {
  emu: Emulator;
  db: Db;
  dir: string;
}

/** The product's flows in one emulator process (Dates survive transactional updates there), the demo brand as set-up. */
export async function faultEmulator(): Promise<Suite> {
  const dir = functionsDirWith(['member', 'coupons', 'orders', 'points', 'appointments', 'messaging', 'admin'], []);
  const emu = await separateEmulator(dir);
  await clock(emu, { set: '2026-05-04T02:00:00Z' }); // Monday 10:00 in Shanghai
  const { db } = connectSdk(emu, { throwOnNotFound: false });
  // the demo brand's set-up (staff, stores, templates and stock, services, hours, journeys, segments), through the SDK
  for (const [coll, docs] of Object.entries(demoBrand)) {
    const list = (docs as readonly Record<string, unknown>[]).map((d) => ({ ...d }));
    for (let i = 0; i < list.length; i += 200) await db.collection(coll).add({ data: list.slice(i, i + 200) });
  }
  return { emu, db, dir };
}

export async function clock(
  emu: Emulator,
  body: Record<string, unknown>,
): Promise<{ fn: string; trigger: string; ok: boolean }[]> {
  const r = await fetch(`${emu.url}/clock`, { method: 'POST', body: JSON.stringify(body) });
  if (r.status !== 200) throw new Error(`clock: ${await r.text()}`);
  return ((await r.json()) as { fired: { fn: string; trigger: string; ok: boolean }[] }).fired;
}

export async function post(emu: Emulator, path: string, body: unknown, method = 'POST'): Promise<void> {
  const r = await fetch(`${emu.url}${path}`, { method, body: body === null ? undefined : JSON.stringify(body) });
  if (!r.ok) throw new Error(`${path}: ${await r.text()}`);
}

export async function clearFaults(emu: Emulator): Promise<void> {
  await post(emu, '/openapi/faults', null, 'DELETE');
  await post(emu, '/functions/faults', null, 'DELETE');
}

/**
 * A client that retries what failed, as the Mini Program and brand systems do: the same request
 * (same requestId, same order batch) again, up to `tries` times. Faults make some calls fail.
 */
async function retried<T>(tries: number, call: () => Promise<T | null>): Promise<T | null> {
  for (let i = 0; i < tries; i++) {
    const r = await call().catch(() => null);
    if (r !== null) return r;
  }
  return null;
}

const okData = async (emu: Emulator, openid: string, fn: string, data: Record<string, unknown>): Promise<unknown> => {
  const a = await as(emu, openid).raw(fn, data);
  const result = a.result as { ok?: boolean; error?: { code: string } } | undefined;
  if (a.errCode !== undefined || !result) return null; // the function failed or was killed: try again
  if (result.ok === false && ['INTERNAL', 'CONFLICT'].includes(result.error?.code ?? '')) return null;
  return result;
};

export interface Flow {
  name: string;
  run(s: Suite, round: string): Promise<void>;
}

const people = (round: string, n: number) => Array.from({ length: n }, (_v, i) => `o_f_${round}_${i}`);

async function join(s: Suite, openid: string): Promise<void> {
  await retried(3, () => okData(s.emu, openid, 'member', { action: 'login' }));
  await retried(3, () =>
    okData(s.emu, openid, 'member', {
      action: 'claimCard',
      name: '会员',
      birthday: '1990-05-04',
      language: 'zh',
      consents: { privacyVersion: '2026-01', marketingOptIn: true },
    }),
  );
}

/** The five flows the suite runs under each fault. */
export const FLOWS: Flow[] = [
  {
    name: 'claim',
    async run(s, round) {
      const who = people(round, 4);
      for (const o of who) await join(s, o);
      await Promise.all(
        who.map((o) =>
          retried(3, () =>
            okData(s.emu, o, 'coupons', { action: 'claim', templateId: 'tpl_spring_50', requestId: `claim-${o}` }),
          ),
        ),
      );
    },
  },
  {
    name: 'order sync with points',
    async run(s, round) {
      const who = people(round, 3);
      for (const o of who) await join(s, o);
      const now = new Date(((await (await fetch(`${s.emu.url}/clock`)).json()) as { now: string }).now);
      const at = new Date(now.getTime() - 60_000);
      const batch = who.map((o, i) =>
        order({
          orderNo: `F-${round}-${i}`,
          customer: [{ type: 'openid', value: o }],
          totalFen: 30_000 + i,
          createdAt: at,
          paidAt: at,
        }),
      );
      // the brand system sends the batch again until it gets an answer
      await retried(3, async () => ((await syncOrders(s.emu, 'pos', batch)).status === 200 ? true : null));
    },
  },
  {
    name: 'booking',
    async run(s, round) {
      const who = people(round, 2);
      for (const o of who) await join(s, o);
      const start = new Date('2026-05-06T06:00:00Z'); // Wednesday 14:00 in Shanghai
      await Promise.all(
        who.map((o) =>
          retried(3, () =>
            okData(s.emu, o, 'appointments', {
              action: 'book',
              storeId: 'store_sh_xintiandi',
              serviceId: 'svc_qipao_fitting',
              start: start.toISOString(),
              requestId: `book-${o}`,
            }),
          ),
        ),
      );
    },
  },
  {
    name: 'message dispatch',
    async run(s, round) {
      const who = people(round, 3);
      for (const o of who) {
        await join(s, o);
        await retried(3, () =>
          okData(s.emu, o, 'messaging', { action: 'recordConsent', results: { fault_notice: 'accept' } }),
        );
      }
      const admin = 'o_demo_admin';
      const ids = (
        (
          await s.db
            .collection('identities')
            .where({ value: s.db.command.in(who) })
            .get()
        ).data as { memberId: string }[]
      ).map((x) => x.memberId);
      // staff tag the round's members and send them a notice; the dispatcher's timer sends it
      for (const id of ids)
        await retried(3, () =>
          okData(s.emu, admin, 'admin', { action: 'members.tag', memberId: id, add: [`round_${round}`] }),
        );
      await retried(3, () =>
        okData(s.emu, admin, 'messaging', {
          action: 'segments.save',
          id: `seg_${round}`,
          name: round,
          rule: { field: 'tags', op: 'hasAny', values: [`round_${round}`] },
        }),
      );
      await retried(3, () =>
        okData(s.emu, admin, 'messaging', {
          action: 'campaigns.send',
          id: `c_${round}`,
          name: round,
          segmentId: `seg_${round}`,
          message: {
            channel: 'subscribe',
            template: 'fault_notice',
            purpose: 'transactional',
            data: { title: '通知', body: '门店' },
          },
        }),
      );
    },
  },
  {
    name: 'journey tick',
    async run(s, round) {
      // a first paid order starts the thank-you journey (seed), which the journeys timer advances
      const o = people(round, 1)[0]!;
      await join(s, o);
      await retried(3, () =>
        okData(s.emu, o, 'messaging', { action: 'recordConsent', results: { first_purchase_thanks: 'accept' } }),
      );
      const now = new Date(((await (await fetch(`${s.emu.url}/clock`)).json()) as { now: string }).now);
      const at = new Date(now.getTime() - 60_000);
      await retried(3, async () =>
        (
          await syncOrders(s.emu, 'pos', [
            order({
              orderNo: `J-${round}`,
              customer: [{ type: 'openid', value: o }],
              totalFen: 20_000,
              createdAt: at,
              paidAt: at,
            }),
          ])
        ).status === 200
          ? true
          : null,
      );
    },
  },
];

/** Delivered = WeChat answered 0 and did not de-duplicate it; the key is the page's `mk=` or the template's client_msg_id. */
export async function deliveriesByKey(emu: Emulator): Promise<Map<string, number>> {
  const all = (
    (await (await fetch(`${emu.url}/openapi/calls`)).json()) as {
      calls: { apiName: string; params: Record<string, unknown>; outcome: { errcode?: number }; duplicate?: true }[];
    }
  ).calls;
  const out = new Map<string, number>();
  for (const c of all) {
    if (c.outcome.errcode !== 0 || c.duplicate) continue;
    const key =
      c.apiName === 'subscribeMessage.send'
        ? decodeURIComponent(/[?&]mk=([^&]+)/.exec(String(c.params['page'] ?? ''))?.[1] ?? '')
        : String(c.params['client_msg_id'] ?? '');
    if (key) out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/** Every invariant the product promises, as a list of violations (empty = all hold). */
export async function violations(s: Suite): Promise<string[]> {
  const out: string[] = [];
  const db = s.db;
  // balance equals the ledger, for every member with points
  const members = (
    await db
      .collection('members')
      .where({ points: db.command.exists(true) })
      .limit(1000)
      .get()
  ).data as { _id: string }[];
  for (const m of members) for (const p of (await ledgerOf(db, m._id)).problems) out.push(`ledger ${m._id}: ${p}`);
  // stock never oversold
  const shards = (await db.collection('coupon_stock').where({ templateId: 'tpl_spring_50' }).limit(100).get()).data as {
    left: number;
    issued: number;
  }[];
  const issued = (await db.collection('coupons').where({ templateId: 'tpl_spring_50' }).count()).total as number;
  const left = shards.reduce((n, x) => n + x.left, 0);
  if (shards.some((x) => x.left < 0)) out.push('coupon stock: a shard below zero');
  if (issued + left !== 100) out.push(`coupon stock: ${issued} issued + ${left} left != 100`);
  // a booking slot holds no more than its capacity
  const slots = (await db.collection('slot_counts').limit(1000).get()).data as { _id: string; booked?: number }[];
  for (const x of slots)
    if (x._id.includes('svc_qipao_fitting') && (x.booked ?? 0) > 2)
      out.push(`slot ${x._id}: ${x.booked} booked, capacity 2`);
  // no outbox key delivered twice
  for (const [key, n] of await deliveriesByKey(s.emu)) if (n > 1) out.push(`outbox ${key} delivered ${n} times`);
  // nothing pending forever: once the faults end and time passes, no message waits or stays claimed
  const stuck = (
    await db
      .collection('outbox')
      .where({ state: db.command.in(['pending', 'sending']) })
      .limit(100)
      .get()
  ).data as { _id: string; state: string }[];
  for (const r of stuck) out.push(`outbox ${r._id} still ${r.state}`);
  return out;
}
