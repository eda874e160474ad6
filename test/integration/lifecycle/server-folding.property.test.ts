import fc from 'fast-check';
import { computeStage, parseLifecycleConfig } from '../../../core/lifecycle';
import { mergeOrderUpdate, type IncomingOrder, type StoredOrder } from '../../../core/orders';
import { parseRfmConfig, DEFAULT_TAGS } from '../../../core/portrait';
import { factsOf, orderRecordOf, withOrder, withOrderTraits } from '../../../server/lifecycle/documents';
import { bulkFacts } from '../../../server/lifecycle/recompute';
import { portraitOf } from '../../../server/portrait/compute';
import type { MemberDoc } from '../../../server/members/documents';
import type { OrderDoc } from '../../../server/orders/documents';

/**
 * The server's two paths, without the database: the incremental one folds each delivered order
 * version into the member's facts as sync does (withOrder over the converged order); the bulk one
 * rebuilds them from the final stored orders as the nightly job does (bulkFacts). Core proves
 * buildFacts ≡ replaying events (test/unit/lifecycle); this proves the server's use of both agrees,
 * whatever versions arrive, in any order, any number of times. The emulator test covers a fixed set.
 */
const HOUR = 3_600_000;
const T0 = Date.parse('2025-01-01T00:00:00Z');
const at = (h: number) => new Date(T0 + h * HOUR);
const SOURCES = ['pos', 'shop', 'ecommerce'] as const;

const orderArb = fc.record({
  source: fc.constantFrom(...SOURCES),
  created: fc.integer({ min: 0, max: 24 * 400 }),
  paid: fc.boolean(),
  totalFen: fc.integer({ min: 1, max: 400_000 }),
  refunds: fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 2 }),
  category: fc.constantFrom('qipao', 'tea', 'silk'),
});

function versionsOf(
  o: {
    source: (typeof SOURCES)[number];
    created: number;
    paid: boolean;
    totalFen: number;
    refunds: number[];
    category: string;
  },
  no: string,
): IncomingOrder[] {
  const base = {
    source: o.source,
    orderNo: no,
    customer: [],
    currency: 'CNY',
    amounts: { totalFen: o.totalFen, discountFen: 0 },
    items: [{ sku: 's', category: o.category, qty: 1, priceFen: o.totalFen }],
    refunds: [],
    createdAt: at(o.created),
  };
  const out: IncomingOrder[] = [{ ...base, status: 'created', updatedAt: at(o.created) }];
  if (!o.paid) return out;
  out.push({ ...base, status: 'paid', paidAt: at(o.created + 1), updatedAt: at(o.created + 1) });
  const refunds = o.refunds.map((share, i) => ({
    refundNo: `r${i}`,
    amountFen: Math.max(1, Math.floor((o.totalFen * share) / 200)),
  }));
  refunds.forEach((_, i) =>
    out.push({
      ...base,
      status: 'partially_refunded',
      paidAt: at(o.created + 1),
      refunds: refunds.slice(0, i + 1),
      updatedAt: at(o.created + 2 + i),
    }),
  );
  return out;
}

test('S6 lifecycle: folding deliveries incrementally gives the facts, stage and portrait the nightly rebuild gives', () => {
  const config = parseLifecycleConfig({});
  const settings = { lifecycle: config, rfm: parseRfmConfig({}), tags: DEFAULT_TAGS, forecastDays: 365 };
  fc.assert(
    fc.property(
      fc.array(orderArb, { maxLength: 6 }),
      fc.array(fc.nat(), { maxLength: 40 }),
      fc.integer({ min: 0, max: 24 * 700 }),
      fc.boolean(),
      (orders, shuffle, nowH, isMember) => {
        const member = {
          _id: 'm1',
          state: isMember ? 'member' : 'visitor',
          firstSeenAt: at(0),
        } as unknown as MemberDoc;
        const deliveries = orders.flatMap((o, i) => versionsOf(o, `N${i}`));
        // any order, with repeats: each shuffle number picks a delivery
        const seq = [
          ...deliveries,
          ...shuffle
            .map((k) => deliveries[k % Math.max(1, deliveries.length)])
            .filter((d): d is IncomingOrder => Boolean(d)),
        ];
        for (let i = seq.length - 1; i > 0; i--) {
          const j = (shuffle[i % Math.max(1, shuffle.length)] ?? 0) % (i + 1);
          [seq[i], seq[j]] = [seq[j] as IncomingOrder, seq[i] as IncomingOrder];
        }
        const stored = new Map<string, StoredOrder>();
        let facts = factsOf(member, undefined);
        let traits: { categories: string[]; channels: string[] } = { categories: [], channels: [] };
        for (const d of seq) {
          const key = `${d.source}:${d.orderNo}`;
          const { order } = mergeOrderUpdate(stored.get(key) ?? null, d);
          stored.set(key, order);
          facts = withOrder(facts, orderRecordOf(order));
          traits = withOrderTraits(traits, order);
        }
        const rows = [...stored.entries()].map(([k, o]) => ({ ...o, _id: k, memberId: 'm1' }) as unknown as OrderDoc);
        const bulk = bulkFacts(member, rows);
        expect(bulk.facts).toEqual(facts);
        expect(bulk.traits).toEqual(traits);
        const now = at(nowH);
        expect(computeStage(bulk.facts, config, now)).toBe(computeStage(facts, config, now));
        expect(portraitOf(member, bulk.facts, bulk.traits, settings, now)).toEqual(
          portraitOf(member, facts, traits, settings, now),
        );
      },
    ),
    { numRuns: 300 },
  );
});
