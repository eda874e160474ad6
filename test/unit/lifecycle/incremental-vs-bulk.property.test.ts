import fc from 'fast-check';
import {
  applyEvent,
  buildFacts,
  computeStage,
  emptyFacts,
  nextStageChangeAt,
  parseLifecycleConfig,
  type CustomerSnapshot,
  type LifecycleConfig,
  type LifecycleEvent,
  type LifecycleFacts,
  type Stage,
} from '../../../core/lifecycle';

/**
 * A person's world: visits, membership, follow, engagements and orders (with payments and
 * refunds at their own instants). From it we derive both the event stream the server handles
 * one by one (incremental path, with timers from nextStageChangeAt) and the records the nightly
 * job reads at a given instant (bulk path). The two must give the same stage at every instant.
 */
const HOUR = 3_600_000;
const T0 = Date.parse('2024-01-01T00:00:00Z');
const hourArb = fc.integer({ min: 0, max: 24 * 700 });

const worldArb = fc.record({
  visit: fc.option(hourArb, { nil: undefined }),
  joined: fc.option(hourArb, { nil: undefined }),
  followed: fc.option(hourArb, { nil: undefined }),
  engagements: fc.array(hourArb, { maxLength: 3 }),
  orders: fc.array(
    fc.record({
      created: hourArb,
      payDelay: fc.option(fc.integer({ min: 0, max: 72 }), { nil: undefined }),
      paidFen: fc.integer({ min: 1, max: 300_000 }),
      refunds: fc.array(
        fc.record({ delay: fc.integer({ min: 1, max: 24 * 60 }), share: fc.integer({ min: 1, max: 100 }) }),
        { maxLength: 2 },
      ),
    }),
    { maxLength: 7 },
  ),
});
type World = typeof worldArb extends fc.Arbitrary<infer W> ? W : never;

const configArb = fc
  .record({
    repeatMinOrders: fc.integer({ min: 2, max: 3 }),
    loyalMinOrders: fc.integer({ min: 2, max: 5 }),
    loyalMinSpendFen: fc.option(fc.integer({ min: 100_000, max: 600_000 }), { nil: null }),
    loyalWindowDays: fc.integer({ min: 30, max: 365 }),
    indecisiveAfterDays: fc.integer({ min: 1, max: 60 }),
    lapsedAfterDays: fc.integer({ min: 20, max: 300 }),
  })
  .map((c) => parseLifecycleConfig(c));

const at = (h: number) => new Date(T0 + h * HOUR);

/** Each refund's amount: a share of the paid amount, never refunding more than was paid in total. */
function refundDeltas(o: World['orders'][number]): number[] {
  let left = o.paidFen;
  return o.refunds.map((r) => {
    const d = Math.min(left, Math.ceil((o.paidFen * r.share) / 100));
    left -= d;
    return d;
  });
}

function eventsOf(w: World): LifecycleEvent[] {
  const ev: LifecycleEvent[] = [];
  if (w.visit !== undefined) ev.push({ type: 'visit', at: at(w.visit) });
  if (w.joined !== undefined) ev.push({ type: 'member.joined', at: at(w.joined) });
  if (w.followed !== undefined) ev.push({ type: 'oa.subscribed', at: at(w.followed) });
  w.engagements.forEach((h) => ev.push({ type: 'engagement', at: at(h), kind: 'cart' }));
  w.orders.forEach((o, i) => {
    const orderKey = `shop:${i}`;
    ev.push({ type: 'order.created', at: at(o.created), orderKey });
    if (o.payDelay === undefined) return;
    const paidH = o.created + o.payDelay;
    ev.push({ type: 'order.paid', at: at(paidH), orderKey, paidFen: o.paidFen });
    refundDeltas(o).forEach((deltaFen, k) => {
      ev.push({
        type: 'order.refunded',
        at: at(paidH + (o.refunds[k]?.delay ?? 0)),
        orderKey,
        deltaFen,
        paidFen: o.paidFen,
      });
    });
  });
  // Stable sort: at equal instants the causal order above (created, paid, refunded) is kept.
  return ev
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at.getTime() - b.e.at.getTime() || a.i - b.i)
    .map(({ e }) => e);
}

/** The database as the nightly job would find it at instant `t`. */
function snapshotAt(w: World, t: number): CustomerSnapshot {
  const happened = (h: number | undefined) => h !== undefined && at(h).getTime() <= t;
  const engagedAts = w.engagements
    .filter(happened)
    .map(at)
    .sort((a, b) => a.getTime() - b.getTime());
  const seen = [w.visit, w.joined, w.followed, ...w.engagements, ...w.orders.map((o) => o.created)]
    .filter(happened)
    .map((h) => at(h as number).getTime());
  const s: CustomerSnapshot = {
    isMember: happened(w.joined),
    isFollower: happened(w.followed),
    orders: w.orders.flatMap((o, i) => {
      if (!happened(o.created)) return [];
      const paidH = o.payDelay === undefined ? undefined : o.created + o.payDelay;
      const paid = happened(paidH);
      const deltas = refundDeltas(o);
      const refundedFen = o.refunds.reduce(
        (sum, r, k) => sum + (paid && happened((paidH as number) + r.delay) ? (deltas[k] ?? 0) : 0),
        0,
      );
      return [
        {
          orderKey: `shop:${i}`,
          createdAt: at(o.created),
          paid,
          ...(paid ? { paidAt: at(paidH as number) } : {}),
          paidFen: paid ? o.paidFen : 0,
          refundedFen,
        },
      ];
    }),
  };
  if (seen.length) s.firstSeenAt = new Date(Math.min(...seen));
  if (engagedAts.length) {
    s.firstEngagedAt = engagedAts[0];
    s.lastEngagedAt = engagedAts[engagedAts.length - 1];
  }
  return s;
}

/** The incremental server: a stage kept per person, changed by events and by timers it schedules. */
function incremental(events: LifecycleEvent[], config: LifecycleConfig, start: Date) {
  let facts: LifecycleFacts = emptyFacts();
  let cursor = start;
  let stage: Stage = computeStage(facts, config, cursor);
  const timeline: { at: number; stage: Stage }[] = [{ at: cursor.getTime(), stage }];
  const fireTimersUntil = (t: number) => {
    for (
      let next = nextStageChangeAt(facts, config, cursor);
      next && next.getTime() <= t;
      next = nextStageChangeAt(facts, config, cursor)
    ) {
      cursor = next;
      const s = computeStage(facts, config, cursor);
      expect(s).not.toBe(stage); // a timer fires only for a real change
      stage = s;
      timeline.push({ at: cursor.getTime(), stage });
    }
  };
  for (const e of events) {
    fireTimersUntil(e.at.getTime());
    facts = applyEvent(facts, e);
    cursor = e.at;
    stage = computeStage(facts, config, cursor);
    timeline.push({ at: cursor.getTime(), stage });
  }
  return { timeline, facts, fireTimersUntil, stageNow: () => stage };
}

/** Stage the incremental path holds at t: the last timeline entry at or before t. */
const stageAt = (timeline: { at: number; stage: Stage }[], t: number): Stage | undefined =>
  timeline.filter((x) => x.at <= t).pop()?.stage;

describe('S6 lifecycle: incremental and bulk agree (property)', () => {
  it('S6 at every event, every timer and random instants, the kept stage equals the bulk recompute', () => {
    fc.assert(
      fc.property(
        worldArb,
        configArb,
        fc.array(fc.integer({ min: 0, max: 24 * 1500 }), { minLength: 3, maxLength: 10 }),
        (world, config, checkHours) => {
          const events = eventsOf(world);
          const start = at(-1);
          const run = incremental(events, config, start);
          const end = at(24 * 1500).getTime();
          run.fireTimersUntil(end);
          const checks = [
            ...new Set([...run.timeline.map((x) => x.at), ...checkHours.map((h) => at(h).getTime()), end]),
          ].sort((a, b) => a - b);
          for (const t of checks) {
            // The incremental stage is only defined after all events at instant t are handled.
            const incrementalStage = stageAt(run.timeline, t);
            const bulk = computeStage(buildFacts(snapshotAt(world, t)), config, new Date(t));
            expect({ t: new Date(t).toISOString(), stage: incrementalStage }).toEqual({
              t: new Date(t).toISOString(),
              stage: bulk,
            });
          }
          expect(run.stageNow()).toBe(computeStage(buildFacts(snapshotAt(world, end)), config, new Date(end)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('S6 nextStageChangeAt: the stage holds until the instant returned and differs at it', () => {
    fc.assert(
      fc.property(
        worldArb,
        configArb,
        fc.integer({ min: 0, max: 24 * 800 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }),
        (world, config, nowH, fractions) => {
          const facts = eventsOf(world).reduce(applyEvent, emptyFacts());
          const now = at(nowH);
          const stage = computeStage(facts, config, now);
          const next = nextStageChangeAt(facts, config, now);
          const horizon = next ? next.getTime() : now.getTime() + 3 * 365 * 24 * HOUR * 3;
          for (const f of fractions) {
            const t = now.getTime() + Math.floor(f * (horizon - now.getTime() - 1));
            expect(computeStage(facts, config, new Date(t))).toBe(stage);
          }
          if (next) {
            expect(next.getTime()).toBeGreaterThan(now.getTime());
            expect(computeStage(facts, config, new Date(next.getTime() - 1))).toBe(stage);
            expect(computeStage(facts, config, next)).not.toBe(stage);
          } else {
            expect(computeStage(facts, config, new Date(horizon))).toBe(stage);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
