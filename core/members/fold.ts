import type { FoldRule } from './registry';

/**
 * How a merge folds the loser's row into the survivor's, for rows keyed by member id. Each returns
 * the survivor's row body (without `_id`); `into` is null when the survivor has none yet.
 */
type Doc = Record<string, unknown>;

const ms = (v: unknown) => (v ? new Date(v as Date).getTime() : 0);
const body = (d: Doc): Doc => Object.fromEntries(Object.entries(d).filter(([k]) => k !== '_id'));
const list = (v: unknown): string[] => (v as string[] | undefined) ?? [];
const strings = (a: unknown, b: unknown): string[] => [...new Set([...list(a), ...list(b)])];
const unused = (c: Doc): number => (c['blocked'] ? 0 : Number(c['remaining'] ?? 0));

/** Per template: unused consents add up, long-term stays long-term; a later refusal or ban wins. */
function foldConsents(into: Doc, from: Doc): Doc {
  const a = (into['templates'] ?? {}) as Record<string, Doc>;
  const b = (from['templates'] ?? {}) as Record<string, Doc>;
  const templates: Record<string, Doc> = { ...b, ...a };
  for (const [id, theirs] of Object.entries(b)) {
    const ours = a[id];
    if (!ours) continue;
    const latest = ms(theirs['updatedAt']) > ms(ours['updatedAt']) ? theirs : ours;
    templates[id] = latest['blocked']
      ? latest
      : {
          remaining: unused(ours) + unused(theirs),
          longTerm: ours['longTerm'] === true || theirs['longTerm'] === true,
          blocked: null,
          updatedAt: latest['updatedAt'],
        };
  }
  const sa = into['sent'] as Doc | undefined;
  const sb = from['sent'] as Doc | undefined;
  let sent = sa ?? sb;
  if (sa && sb) {
    const sameDay = ms(sa['dayStart']) === ms(sb['dayStart']);
    const sameWeek = ms(sa['weekStart']) === ms(sb['weekStart']);
    sent = {
      ...sa,
      today: Number(sa['today']) + (sameDay ? Number(sb['today']) : 0),
      thisWeek: Number(sa['thisWeek']) + (sameWeek ? Number(sb['thisWeek']) : 0),
    };
  }
  const applied = strings(into['appliedEvents'], from['appliedEvents']);
  return {
    ...body(from),
    ...body(into),
    templates,
    ...(sent ? { sent } : {}),
    ...(applied.length ? { appliedEvents: applied } : {}),
    updatedAt: new Date(Math.max(ms(into['updatedAt']), ms(from['updatedAt']))),
  };
}

/** The survivor's choices stand; a marketing opt-out of either stands; channel opt-outs add up. */
function foldPrefs(into: Doc, from: Doc): Doc {
  const channels = strings(into['channelOptOut'], from['channelOptOut']);
  const optOut = into['marketingOptOut'] === true || from['marketingOptOut'] === true;
  return {
    ...body(from),
    ...body(into),
    ...(channels.length ? { channelOptOut: channels } : {}),
    ...(into['marketingOptOut'] !== undefined || from['marketingOptOut'] !== undefined
      ? { marketingOptOut: optOut }
      : {}),
  };
}

/** Coupons of a template the person holds: both counts. */
function foldClaimCounter(into: Doc, from: Doc, survivorId: string): Doc {
  const count = Number(into['count'] ?? 0) + Number(from['count'] ?? 0);
  return { ...body(from), ...body(into), memberId: survivorId, count };
}

/** One day's active bookings: both lists. */
function foldMemberSlots(into: Doc, from: Doc, survivorId: string): Doc {
  const items = [...((into['items'] as unknown[]) ?? []), ...((from['items'] as unknown[]) ?? [])];
  return { ...body(from), ...body(into), memberId: survivorId, items };
}

const RULES: Record<FoldRule, (into: Doc, from: Doc, survivorId: string) => Doc> = {
  consents: foldConsents,
  messagePrefs: foldPrefs,
  claimCounter: foldClaimCounter,
  memberSlots: foldMemberSlots,
};

/** The survivor's row after taking in the loser's (a fresh copy of the loser's when the survivor has none). */
export function foldRow(rule: FoldRule, into: Doc | null, from: Doc, survivorId: string): Doc {
  if (!into) {
    const fresh = from['memberId'] !== undefined ? { memberId: survivorId } : {};
    return RULES[rule](fresh, from, survivorId);
  }
  return RULES[rule](into, from, survivorId);
}
