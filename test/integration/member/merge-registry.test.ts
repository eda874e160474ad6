import fc from 'fast-check';
import type { Emulator } from '../../../emulator/emulator';
import { MEMBER_DATA } from '../../../core/members/registry';
import { rowsOf } from '../../../server/members/registry-rows';
import type { Database } from '../../../server/runtime/cloud';
import { as } from '../../support/client';
import type { Sdk } from '../../support/sdk';
import { order, syncOrders } from '../orders/support';
import { emulatorNow, demoEmulator, setClock, signedPost } from './helpers';

/**
 * S3 merge over two random members built through the product's own actions (store scan, card,
 * profile, subscription consents, message preferences, staff tags, synced orders, coupon claims):
 * afterwards the survivor holds the union of both, totals add up and nothing is doubled, in every
 * collection of the member-data registry. Fixture: the demo brand (stores, staff, coupon templates).
 */
let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  ({ emu, db } = await demoEmulator());
});
afterAll(() => emu.close());

const spec = fc.record({
  store: fc.constantFrom(null, 'store_sh_xintiandi', 'store_sz_wanxiang'),
  card: fc.option(
    fc.record({
      name: fc.constantFrom('周女士', 'Li Na'),
      birthday: fc.constantFrom('1988-08-18', '1995-02-28'),
      language: fc.constantFrom('zh' as const, 'en' as const),
      marketingOptIn: fc.boolean(),
    }),
    { nil: null },
  ),
  nickname: fc.option(fc.constantFrom('小周', 'Nana'), { nil: null }),
  accepts: fc.array(fc.constantFrom('tpl_welcome_msg', 'tpl_birthday_msg'), { maxLength: 3 }),
  channelOptOut: fc.subarray(['email', 'oa_custom'] as const),
  tags: fc.subarray(['vip_client', 'likes_silk', 'hi_po_young_professional']),
  orders: fc.array(fc.integer({ min: 1_000, max: 90_000 }), { maxLength: 2 }),
  coupon: fc.boolean(),
});
type Spec = typeof spec extends fc.Arbitrary<infer T> ? T : never;

const admin = () => as(emu, 'o_demo_admin');
let seq = 0;

async function build(s: Spec, tag: string): Promise<{ memberId: string; openid: string; unionid: string }> {
  const openid = `o_mr_${tag}`;
  const unionid = `u_mr_${tag}`;
  const me = as(emu, openid, { unionid });
  const v = await me.ok('member', 'login', s.store ? { query: { store: s.store } } : {});
  await setClock(emu, { advance: '1s' });
  if (s.card) {
    const { marketingOptIn, ...profile } = s.card;
    await me.ok('member', 'claimCard', { ...profile, consents: { privacyVersion: '2026-01', marketingOptIn } });
  }
  if (s.nickname) await me.ok('member', 'updateProfile', { nickname: s.nickname });
  for (const t of s.accepts) await me.ok('messaging', 'recordConsent', { results: { [t]: 'accept' } });
  if (s.channelOptOut.length) await me.ok('messaging', 'updatePrefs', { channelOptOut: [...s.channelOptOut] });
  if (s.tags.length) await admin().ok('admin', 'members.tag', { memberId: v.memberId, add: s.tags });
  const at = await emulatorNow(emu);
  const customer = [{ type: 'openid', value: openid }];
  const orders = s.orders.map((totalFen, i) =>
    order({ orderNo: `${tag}-${i}`, customer, totalFen, createdAt: at, paidAt: at }),
  );
  if (orders.length) expect((await syncOrders(emu, 'pos', orders)).status).toBe(200);
  if (s.coupon && s.card) await me.ok('coupons', 'claim', { templateId: 'tpl_spring_50', requestId: `${tag}-claim` });
  return { memberId: v.memberId, openid, unionid };
}

type Snapshot = Record<string, Map<string, Record<string, unknown>>>;

async function snapshot(memberId: string): Promise<Snapshot> {
  const identities = (await db.collection('identities').where({ memberId }).limit(100).get()).data as { _id: string }[];
  const identityIds = identities.map((i) => i._id);
  const out: Snapshot = {};
  for (const entry of MEMBER_DATA) {
    const rows = await rowsOf(db as Database, entry, { memberIds: [memberId], identityIds });
    out[entry.collection] = new Map(rows.map((r) => [r._id, r]));
  }
  return out;
}

type MemberDoc = Record<string, unknown> & { tags?: { tagId: string }[] };
const member = async (id: string) => (await db.collection('members').doc(id).get()).data as MemberDoc;
const ids = (m: Map<string, unknown>) => [...m.keys()].sort();
const ms = (v: unknown) => (v ? new Date(v as string).getTime() : NaN);

test(
  'S3 merge: of two random members built through the product, the survivor holds the union in every ' +
    'registry collection, totals add up, nothing is doubled',
  async () => {
    await fc.assert(
      fc.asyncProperty(spec, spec, async (sa, sb) => {
        const n = ++seq;
        const a = await build(sa, `${n}a`);
        const b = await build(sb, `${n}b`);
        const before = { [a.memberId]: await snapshot(a.memberId), [b.memberId]: await snapshot(b.memberId) };
        const docs = { [a.memberId]: await member(a.memberId), [b.memberId]: await member(b.memberId) };

        const identities = [
          { type: 'unionid', value: a.unionid },
          { type: 'unionid', value: b.unionid },
        ];
        const link = { source: 'shop', externalId: `MR-${n}`, identities };
        const r = await signedPost(emu, '/http/member/link', link, { source: 'shop' });
        expect(r).toMatchObject({ status: 200, json: { ok: true } });
        const survivorId = r.json!.data!.memberId;
        const loserId = survivorId === a.memberId ? b.memberId : a.memberId;
        const after = await snapshot(survivorId);
        const gone = await snapshot(loserId);
        const [S, L] = [docs[survivorId]!, docs[loserId]!] as [(typeof docs)[string], (typeof docs)[string]];

        for (const entry of MEMBER_DATA) {
          const c = entry.collection;
          const union = [...new Set([...ids(before[a.memberId]![c]!), ...ids(before[b.memberId]![c]!)])].sort();
          if (entry.merge.kind === 'repoint') {
            // nothing lost; nothing left on the loser
            expect({ c, missing: union.filter((id) => !after[c]!.has(id)) }).toEqual({ c, missing: [] });
            expect({ c, left: ids(gone[c]!) }).toEqual({ c, left: [] });
          }
        }
        // value collections: exactly both members' rows, none doubled; when both had joined, one
        // person keeps one join reward, so the merge adds the ledger row that takes the second back
        const bothJoined = Boolean(S['joinRewards'] && L['joinRewards']);
        const takeBackId = `join-merged:${loserId}`;
        for (const c of ['points_ledger', 'points_lots', 'coupons', 'orders']) {
          const added = c === 'points_ledger' && bothJoined ? [takeBackId] : [];
          const union = [...ids(before[a.memberId]![c]!), ...ids(before[b.memberId]![c]!), ...added].sort();
          expect({ c, rows: ids(after[c]!) }).toEqual({ c, rows: union });
        }
        const survivor = await member(survivorId);
        const ledger = [...after['points_ledger']!.values()].reduce((t, row) => t + Number(row['amount']), 0);
        const takenBack = bothJoined ? Number(after['points_ledger']!.get(takeBackId)?.['amount'] ?? 0) : 0;
        expect(survivor['points']).toBe(Number(S['points'] ?? 0) + Number(L['points'] ?? 0) + takenBack);
        expect(survivor['points']).toBe(ledger);

        // rows keyed by member: folded into the survivor's
        type Templates = Record<string, { remaining: number }>;
        const templates = (snap: Snapshot) => ([...snap['consents']!.values()][0]?.['templates'] ?? {}) as Templates;
        const folded = templates(after);
        for (const t of [...sa.accepts, ...sb.accepts]) {
          const held = (id: string) => templates(before[id]!)[t]?.remaining ?? 0;
          const want = held(a.memberId) + held(b.memberId);
          expect({ t, remaining: folded[t]?.remaining }).toEqual({ t, remaining: want });
        }
        const prefs = [...after['message_prefs']!.values()][0];
        const optedOut = new Set((prefs?.['channelOptOut'] as string[] | undefined) ?? []);
        expect(optedOut).toEqual(new Set([...sa.channelOptOut, ...sb.channelOptOut]));
        const claimed = [...after['coupon_claims']!.values()].reduce((t, row) => t + Number(row['count']), 0);
        expect(claimed).toBe(after['coupons']!.size);
        expect(ids(gone['consents']!)).toEqual([]);
        expect(ids(gone['coupon_claims']!)).toEqual([]);

        // the member document: every fact of either
        const tagIds = (d: typeof survivor) => (d.tags ?? []).map((t) => t.tagId);
        expect(new Set(tagIds(survivor))).toEqual(new Set([...tagIds(S), ...tagIds(L)]));
        for (const t of [...sa.tags, ...sb.tags]) expect(tagIds(survivor)).toContain(t);
        for (const f of ['name', 'birthday', 'nickname', 'language', 'cardNo', 'phone']) {
          expect({ f, v: survivor[f] }).toEqual({ f, v: S[f] ?? L[f] });
        }
        type Lifecycle = { paidOrders?: { key: string }[] } | undefined;
        const paid = (d: MemberDoc) => ((d['lifecycle'] as Lifecycle)?.paidOrders ?? []).map((o) => o.key);
        expect(new Set(paid(survivor))).toEqual(new Set([...paid(S), ...paid(L)]));
        type Touch = { storeId: string; at: string };
        const firstOf = (d: MemberDoc) => (d['attribution'] as { first?: Touch } | undefined)?.first;
        const firsts = [S, L]
          .map(firstOf)
          .filter((x): x is Touch => !!x)
          .sort((x, y) => ms(x.at) - ms(y.at));
        if (firsts.length) expect(firstOf(survivor)?.storeId).toBe(firsts[0]!.storeId);
        type Choice = { marketingOptIn: boolean; marketingChangedAt: string };
        const choiceOf = (d: MemberDoc) => d['consents'] as Choice | undefined;
        const choices = [S, L].map(choiceOf).filter((x): x is Choice => !!x);
        const latest = choices.sort((x, y) => ms(y.marketingChangedAt) - ms(x.marketingChangedAt))[0];
        if (latest) expect(choiceOf(survivor)?.marketingOptIn).toBe(latest.marketingOptIn);

        // the export of the survivor holds both members' rows
        const out = await as(emu, a.openid).ok('member', 'exportData', {});
        const exported = out.data as Record<string, { _id: string }[]>;
        for (const c of ['points_ledger', 'coupons', 'orders', 'consents', 'identities']) {
          for (const id of ids(after[c]!)) expect(exported[c]!.map((x) => x._id)).toContain(id);
        }
      }),
      { numRuns: 8 },
    );
  },
);
