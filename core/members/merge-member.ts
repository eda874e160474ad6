/**
 * How two member documents become one: a rule per field, so no fact either member held is lost.
 * A field not named here is filled from the loser when the survivor has none.
 */
import type { WindowOrder } from '../segments/rule';
import { latestPaidOf, spendReachOf } from '../segments/window';

type Doc = Record<string, unknown>;

export type FieldRule =
  /** the survivor's own bookkeeping: derived again by the jobs that own it */
  | 'own'
  /** amounts: the sum of both */
  | 'sum'
  | 'or'
  | 'earliest'
  | 'latest'
  /** the card fields, taken together from the loser when the survivor has no card */
  | 'card'
  /** arrays: the union */
  | 'union'
  | 'tags'
  | 'attribution'
  | 'consents'
  | 'lifecycle'
  | 'tierDays';

export const MEMBER_FIELD_RULES: Readonly<Record<string, FieldRule>> = {
  _id: 'own',
  state: 'own',
  createdAt: 'own',
  mergedInto: 'own',
  mergedAt: 'own',
  mergedCardNo: 'own',
  deletedAt: 'own',
  stage: 'own',
  stageSince: 'own',
  nextStageChangeAt: 'own',
  stageLog: 'own',
  rfm: 'own',
  ltvForecastFen: 'own',
  nextReviewAt: 'own',
  lifecycleRev: 'own',
  tierReviewedAt: 'own',
  points: 'sum',
  ltvFen: 'sum',
  oaFollowing: 'or',
  firstSeenAt: 'earliest',
  lastSeenAt: 'latest',
  cardNo: 'card',
  tier: 'card',
  claimedAt: 'card',
  tierSince: 'card',
  openLots: 'union',
  noShowsAt: 'union',
  tags: 'tags',
  attribution: 'attribution',
  consents: 'consents',
  lifecycle: 'lifecycle',
  tierDays: 'tierDays',
};

const present = (v: unknown) => v !== undefined && v !== null;
const ms = (v: unknown) => (present(v) ? new Date(v as Date).getTime() : NaN);
const earlier = (a: unknown, b: unknown) => (!present(a) ? b : !present(b) ? a : ms(b) < ms(a) ? b : a);
const later = (a: unknown, b: unknown) => (!present(a) ? b : !present(b) ? a : ms(b) > ms(a) ? b : a);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function unionBy<T>(a: T[] | undefined, b: T[] | undefined, key: (t: T) => string): T[] {
  const out = new Map<string, T>();
  for (const t of [...(a ?? []), ...(b ?? [])]) if (!out.has(key(t))) out.set(key(t), t);
  return [...out.values()];
}

function mergeAttribution(s: Doc | undefined, l: Doc | undefined): Doc {
  const sf = s?.['first'] as Doc | undefined;
  const lf = l?.['first'] as Doc | undefined;
  const sl = s?.['last'] as Doc | undefined;
  const ll = l?.['last'] as Doc | undefined;
  const first = !sf ? lf : !lf ? sf : ms(lf['at']) < ms(sf['at']) ? lf : sf;
  const last = !sl ? ll : !ll ? sl : ms(ll['at']) > ms(sl['at']) ? ll : sl;
  return { ...(first ? { first } : {}), ...(last ? { last } : {}) };
}

/** The privacy acceptance and the marketing choice each come from whichever member made it last. */
function mergeConsents(s: Doc | undefined, l: Doc | undefined): Doc {
  if (!s || !l) return (s ?? l) as Doc;
  const privacy = ms(l['privacyAcceptedAt']) > ms(s['privacyAcceptedAt']) ? l : s;
  const marketing = ms(l['marketingChangedAt']) > ms(s['marketingChangedAt']) ? l : s;
  const pick = (from: Doc, keys: string[]) =>
    Object.fromEntries(keys.filter((k) => present(from[k])).map((k) => [k, from[k]]));
  return {
    ...l,
    ...s,
    ...pick(privacy, ['privacyVersion', 'privacyAcceptedAt']),
    ...pick(marketing, ['marketingOptIn', 'marketingChangedAt', 'marketingVersion']),
  };
}

function mergeLifecycle(s: Doc | undefined, l: Doc | undefined): Doc {
  if (!s || !l) return (s ?? l) as Doc;
  const strings = (k: string) => [...new Set([...((s[k] as string[]) ?? []), ...((l[k] as string[]) ?? [])])].sort();
  const paid = unionBy(s['paidOrders'] as Doc[], l['paidOrders'] as Doc[], (o) => String(o['key']));
  const out: Doc = { ...l, ...s, paidOrders: paid.sort((a, b) => (String(a['key']) < String(b['key']) ? -1 : 1)) };
  out['categories'] = strings('categories');
  out['channels'] = strings('channels');
  out['latestPaid'] = latestPaidOf(paid as unknown as WindowOrder[]);
  out['spendReach'] = spendReachOf(paid as unknown as WindowOrder[]);
  const dates = [
    ['firstSeenAt', earlier],
    ['firstEngagedAt', earlier],
    ['lastEngagedAt', later],
  ] as const;
  for (const [k, pickOne] of dates) {
    const v = pickOne(s[k], l[k]);
    if (present(v)) out[k] = v;
  }
  return out;
}

function mergeTierDays(s: Doc[] | undefined, l: Doc[] | undefined): Doc[] {
  const byDay = new Map<string, Doc>();
  for (const d of [...(s ?? []), ...(l ?? [])]) {
    const cur = byDay.get(String(d['day']));
    const add = (k: string) => Number(cur?.[k] ?? 0) + Number(d[k] ?? 0);
    byDay.set(String(d['day']), cur ? { day: d['day'], points: add('points'), spendFen: add('spendFen') } : d);
  }
  return [...byDay.values()].sort((a, b) => (String(a['day']) < String(b['day']) ? -1 : 1));
}

type Merger = (s: unknown, l: unknown) => unknown;

const MERGERS: Record<Exclude<FieldRule, 'own' | 'card'>, Merger> = {
  sum: (s, l) => Number(s ?? 0) + Number(l ?? 0),
  or: (s, l) => s === true || l === true,
  earliest: earlier,
  latest: later,
  union: (s, l) => [...new Set([...((s as unknown[]) ?? []), ...((l as unknown[]) ?? [])])],
  tags: (s, l) => unionBy(s as Doc[], l as Doc[], (t) => String(t['tagId'])),
  attribution: (s, l) => mergeAttribution(s as Doc, l as Doc),
  consents: (s, l) => mergeConsents(s as Doc, l as Doc),
  lifecycle: (s, l) => mergeLifecycle(s as Doc, l as Doc),
  tierDays: (s, l) => mergeTierDays(s as Doc[], l as Doc[]),
};

/**
 * The fields to set on the survivor so it holds what both held. Only changed fields are returned;
 * a field the loser lacks is never touched.
 */
export function memberMergePatch(survivor: Doc, loser: Doc): Doc {
  const patch: Doc = {};
  const takeCard = !present(survivor['cardNo']) && present(loser['cardNo']);
  for (const key of new Set([...Object.keys(survivor), ...Object.keys(loser)])) {
    const rule = MEMBER_FIELD_RULES[key];
    const s = survivor[key];
    const l = loser[key];
    if (rule === 'own') continue;
    if (rule === 'card') {
      if (takeCard && present(l)) patch[key] = l;
      continue;
    }
    if (rule === undefined) {
      if (!present(s) && present(l)) patch[key] = l;
      continue;
    }
    if (!present(l) && rule !== 'sum') continue;
    const merged = MERGERS[rule](s, l);
    if (present(merged) && !same(merged, s)) patch[key] = merged;
  }
  // the points cache is the sum even when both are zero, so a retried decision writes the same
  patch['points'] = Number(survivor['points'] ?? 0) + Number(loser['points'] ?? 0);
  return patch;
}
