import { DAY_MS, summarize, type LifecycleFacts } from '../../core/lifecycle';
import type { Rule } from '../../core/portrait/rules';
import type { HeldTag } from '../../core/portrait';
import type { Portrait, PortraitSettings } from '../portrait/compute';

/** The LTV forecast drifts a little every day (1 / tenure); it is rewritten once it may have moved by more than this share: at 2% a customer of 100 days was due every other night for the forecast alone. */
export const FORECAST_TOLERANCE = 0.1;
/** The forecast's purchase rate is measured over at least this many days (core/portrait/ltv.ts). */
const MIN_TENURE_DAYS = 30;

/** Dated fields of the tag facts that `withinDays` / `olderThanDays` conditions may read (server/portrait/compute.ts). */
function datedConditions(rule: Rule, out: { field: string; days: number }[] = []): { field: string; days: number }[] {
  if ('all' in rule) for (const r of rule.all) datedConditions(r, out);
  else if ('any' in rule) for (const r of rule.any) datedConditions(r, out);
  else if ('not' in rule) datedConditions(rule.not, out);
  else if (rule.op === 'withinDays' || rule.op === 'olderThanDays')
    out.push({ field: rule.field, days: rule.value as number });
  return out;
}

/** The next birthday (UTC date, as `ageOn` counts age) strictly after now. */
function nextBirthday(birthday: string | undefined, now: Date): number | null {
  const m = birthday ? /^\d{4}-(\d{2})-(\d{2})$/.exec(birthday) : null;
  if (!m) return null;
  for (let y = now.getUTCFullYear(); y <= now.getUTCFullYear() + 1; y++) {
    const t = Date.UTC(y, Number(m[1]) - 1, Number(m[2]));
    if (t > now.getTime()) return t;
  }
  return null;
}

/**
 * The first instant after `now` at which anything the member document derives from time alone may
 * differ from what is written at `now`: the stage (`nextStageChangeAt`), an RFM recency band, an
 * order leaving the RFM or loyalty window, a dated tag condition, a birthday (age tags), an
 * interaction tag's expiry, or the forecast drifting past FORECAST_TOLERANCE. Null when none can.
 * The candidates are instants where a change *may* happen: reviewing early only costs a write,
 * while a member not due is guaranteed to hold what a full recompute would give (property test
 * test/unit/lifecycle/review.property.test.ts). The nightly job reads only members due by it.
 */
export function nextReviewAt(
  member: { birthday?: string; tags?: HeldTag[] },
  facts: LifecycleFacts,
  p: Portrait,
  s: PortraitSettings,
  now: Date,
): Date | null {
  const t = now.getTime();
  let best = Infinity;
  const add = (c: number | null | undefined) => {
    if (c !== null && c !== undefined && c > t && c < best) best = c;
  };
  add(p.nextStageChangeAt?.getTime());
  const sum = summarize(facts, s.lifecycle, now);
  for (const o of Object.values(facts.paidOrders)) {
    const paid = o.paidAt.getTime();
    add(paid); // a payment dated in the future starts counting
    add(paid + s.lifecycle.loyalWindowDays * DAY_MS);
    if (s.rfm.windowDays !== null) add(paid + s.rfm.windowDays * DAY_MS);
  }
  const last = sum.lastPaidAt?.getTime();
  if (last !== undefined) {
    // recency in whole days: the band moves when the day count passes a breakpoint
    for (const b of s.rfm.recencyDays) add(last + (b + 1) * DAY_MS);
    add(last + s.lifecycle.lapsedAfterDays * DAY_MS); // the forecast drops to 0
    const dated: Record<string, number | undefined> = { lastPaidAt: last };
    for (const def of s.tags) {
      if (def.kind !== 'rule') continue;
      for (const c of datedConditions(def.rule)) {
        const v = dated[c.field];
        if (v !== undefined) add(v + c.days * DAY_MS + 1);
      }
    }
  }
  add(nextBirthday(member.birthday, now));
  for (const h of p.tags) add(h.expiresAt?.getTime());
  if (sum.firstPaidAt && p.ltvForecastFen > 0) {
    // forecast = round(net × horizon / tenure days), tenure ≥ 30 and growing: it leaves the tolerance
    // around the value written now once round(K / tenure) < f0 − floor(tol × f0), i.e. K / tenure < that − ½
    const f0 = p.ltvForecastFen;
    const k = sum.lifetimeSpendFen * s.forecastDays;
    const tenure = k / (f0 - Math.floor(FORECAST_TOLERANCE * f0) - 0.5);
    add(Math.max(t + 1, Math.floor(sum.firstPaidAt.getTime() + Math.max(MIN_TENURE_DAYS, tenure) * DAY_MS) - 1));
  }
  return best === Infinity ? null : new Date(best);
}
