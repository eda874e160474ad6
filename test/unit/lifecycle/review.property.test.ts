import fc from 'fast-check';
import { buildFacts, parseLifecycleConfig, type OrderRecord } from '../../../core/lifecycle';
import { parseRfmConfig, DEFAULT_TAGS, tagsForInteraction } from '../../../core/portrait';
import { lifecyclePatch, type LifecycleMember } from '../../../server/lifecycle/update';
import { timeDerived } from '../../../server/lifecycle/recompute';
import { FORECAST_TOLERANCE } from '../../../server/lifecycle/review';

/**
 * S6 incremental vs bulk, for the nightly job that reads only the members due by `nextReviewAt`:
 * a member written at t0 (by an order, a registration or an earlier review) and not due before t
 * holds at t what a full recompute at t gives — same stage, RFM, LTV and tags, and the forecast
 * within FORECAST_TOLERANCE of it. So skipping members that are not due loses
 * nothing. (That the stored facts equal the facts rebuilt from the orders is
 * test/integration/lifecycle/server-folding.property.test.ts.)
 */
const HOUR = 3_600_000;
const T0 = Date.parse('2025-01-01T00:00:00Z');
const at = (h: number) => new Date(T0 + h * HOUR);
const settings = {
  lifecycle: parseLifecycleConfig({}),
  rfm: parseRfmConfig({}),
  tags: DEFAULT_TAGS,
  forecastDays: 365,
};

const orderArb = fc.record({
  created: fc.integer({ min: 0, max: 24 * 800 }),
  paid: fc.boolean(),
  paidFen: fc.integer({ min: 1, max: 900_000 }),
  refundShare: fc.integer({ min: 0, max: 100 }),
});

test('S6 lifecycle: a member not due for review holds what a full recompute gives, at any instant before nextReviewAt', () => {
  fc.assert(
    fc.property(
      fc.array(orderArb, { maxLength: 6 }),
      fc.option(fc.integer({ min: 0, max: 24 * 800 }), { nil: undefined }),
      fc.option(fc.date({ min: new Date('1960-01-01'), max: new Date('2008-12-31'), noInvalidDate: true }), {
        nil: undefined,
      }),
      fc.option(fc.integer({ min: 0, max: 24 * 800 }), { nil: undefined }),
      fc.integer({ min: 0, max: 24 * 900 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.boolean(),
      (orders, engagedH, birthday, interactedH, writtenH, position, isMember) => {
        const records: OrderRecord[] = orders.map((o, i) => ({
          orderKey: `pos:${i}`,
          createdAt: at(o.created),
          paid: o.paid,
          ...(o.paid ? { paidAt: at(o.created + 1) } : {}),
          paidFen: o.paid ? o.paidFen : 0,
          refundedFen: o.paid ? Math.floor((o.paidFen * o.refundShare) / 100) : 0,
        }));
        const facts = buildFacts({
          isMember,
          isFollower: false,
          firstSeenAt: at(0),
          ...(engagedH !== undefined ? { firstEngagedAt: at(engagedH), lastEngagedAt: at(engagedH) } : {}),
          orders: records,
        });
        const traits = { categories: ['qipao'], channels: ['pos'] };
        const held =
          interactedH !== undefined ? tagsForInteraction(DEFAULT_TAGS, 'oa.menu_clicked', at(interactedH)) : [];
        const base = {
          _id: 'm1',
          state: isMember ? 'member' : 'visitor',
          firstSeenAt: at(0),
          tags: held,
          ...(birthday ? { birthday: birthday.toISOString().slice(0, 10) } : {}),
        } as unknown as LifecycleMember;

        const written = at(writtenH);
        const stored = { ...base, ...lifecyclePatch(base, facts, traits, settings, written).patch } as LifecycleMember;
        const due = stored.nextReviewAt ? stored.nextReviewAt.getTime() : written.getTime() + 1000 * 24 * HOUR;
        expect(due).toBeGreaterThan(written.getTime());
        const t = new Date(written.getTime() + Math.floor((due - written.getTime() - 1) * position));

        const full = lifecyclePatch(stored, facts, traits, settings, t);
        expect(full.change).toBeNull();
        const moved = timeDerived(full.patch, stored);
        // the review schedule itself is recomputed from `t`; the forecast may drift within its tolerance
        delete moved.nextReviewAt;
        if ('ltvForecastFen' in moved) {
          const before = stored.ltvForecastFen as number;
          expect(Math.abs((moved.ltvForecastFen as number) - before)).toBeLessThanOrEqual(before * FORECAST_TOLERANCE);
          delete moved.ltvForecastFen;
        }
        expect(moved).toEqual({});
      },
    ),
    { numRuns: 2000 },
  );
});
