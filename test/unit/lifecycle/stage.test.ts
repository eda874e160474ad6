import {
  applyEvent,
  computeStage,
  decideStage,
  emptyFacts,
  lifecycleEventOf,
  nextStageChangeAt,
  parseLifecycleConfig,
  type LifecycleEvent,
  type LifecycleFacts,
} from '../../../core/lifecycle';
import { mergeOrderUpdate, incomingOrderSchema } from '../../../core/orders';

const cfg = parseLifecycleConfig({}); // repeat 2, loyal 5 orders or ¥5,000 in 365 d, indecisive 30 d, lapsed 180 d
const DAY = 86_400_000;
const T0 = new Date('2025-01-01T02:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * DAY);
const fold = (events: LifecycleEvent[]): LifecycleFacts => events.reduce(applyEvent, emptyFacts());
const paid = (n: number, key: string, paidFen = 10_000): LifecycleEvent => ({
  type: 'order.paid',
  at: day(n),
  orderKey: key,
  paidFen,
});

describe('S6 lifecycle stages', () => {
  it('S6 a visitor who only opened the Mini Program is Anonymous', () => {
    expect(computeStage(fold([{ type: 'visit', at: day(0) }]), cfg, day(1))).toBe('anonymous');
  });

  it('S6 seed 003: Lizzy follows the OA and is a Window customer; Nancy joins, pays and becomes First-Time', () => {
    expect(computeStage(fold([{ type: 'oa.subscribed', at: day(0) }]), cfg, day(0))).toBe('window');
    const nancy = fold([{ type: 'member.joined', at: day(0) }]);
    expect(computeStage(nancy, cfg, day(0))).toBe('window');
    const after = fold([
      { type: 'member.joined', at: day(0) },
      { type: 'order.created', at: day(0), orderKey: 'shop:1' },
      paid(0, 'shop:1'),
    ]);
    expect(computeStage(after, cfg, day(0))).toBe('first_time');
  });

  it('S6 a second paid order makes a Repeat customer; the same payment twice counts once', () => {
    const f = fold([paid(0, 'a'), paid(0, 'a'), paid(10, 'b')]);
    expect(computeStage(fold([paid(0, 'a'), paid(0, 'a')]), cfg, day(1))).toBe('first_time');
    expect(computeStage(f, cfg, day(10))).toBe('repeat');
  });

  it('S6 Loyal by order count in the window, and back to Repeat when the oldest order leaves the window', () => {
    const f = fold([0, 20, 40, 60, 80].map((n, i) => paid(n, `o${i}`)));
    expect(computeStage(f, cfg, day(80))).toBe('loyal');
    // Stays loyal until order o0 (day 0) is 365 days old, then 4 orders are left in the window.
    const next = nextStageChangeAt(f, cfg, day(80));
    expect(next).toEqual(day(80 + 180)); // but lapse comes first: 180 days after the last purchase
    expect(computeStage(f, cfg, day(260))).toBe('lapsed');
    const busy = applyEvent(f, paid(250, 'o5'));
    expect(nextStageChangeAt(busy, cfg, day(250))).toEqual(day(365 + 20)); // o0 and o1 gone, 4 left
    expect(computeStage(busy, cfg, day(365 + 20))).toBe('repeat');
    expect(computeStage(busy, cfg, new Date(day(365 + 20).getTime() - 1))).toBe('loyal');
  });

  it('S6 Loyal by spend in the window needs a Repeat customer: one big order is still First-Time', () => {
    expect(computeStage(fold([paid(0, 'big', 600_000)]), cfg, day(1))).toBe('first_time');
    expect(computeStage(fold([paid(0, 'big', 450_000), paid(1, 'small', 50_000)]), cfg, day(1))).toBe('loyal');
  });

  it('S6 Indecisive: engaged with no purchase for 30 days, exactly at first engagement + 30 days', () => {
    const f = fold([
      { type: 'member.joined', at: day(0) },
      { type: 'engagement', at: day(2), kind: 'cart' },
      { type: 'engagement', at: day(20), kind: 'campaign_click' },
    ]);
    expect(computeStage(f, cfg, day(31))).toBe('window');
    expect(nextStageChangeAt(f, cfg, day(21))).toEqual(day(32));
    expect(computeStage(f, cfg, day(32))).toBe('indecisive');
    // A purchase ends indecision.
    expect(computeStage(applyEvent(f, paid(40, 'x')), cfg, day(40))).toBe('first_time');
  });

  it('S6 an unpaid order is an engagement too', () => {
    const f = fold([{ type: 'order.created', at: day(0), orderKey: 'mp:9' }]);
    expect(computeStage(f, cfg, day(1))).toBe('window');
    expect(computeStage(f, cfg, day(30))).toBe('indecisive');
  });

  it('S6 Lapsed: no purchase for 180 days; buying again makes them a customer again', () => {
    const f = fold([paid(0, 'a'), paid(5, 'b')]);
    expect(nextStageChangeAt(f, cfg, day(6))).toEqual(day(185));
    expect(computeStage(f, cfg, day(185))).toBe('lapsed');
    expect(nextStageChangeAt(f, cfg, day(185))).toBeNull();
    expect(computeStage(applyEvent(f, paid(300, 'c')), cfg, day(300))).toBe('repeat');
  });

  it('S6 a fully refunded only order leaves the member a prospect; a partial refund does not', () => {
    const base: LifecycleEvent[] = [{ type: 'member.joined', at: day(0) }, paid(0, 'a')];
    const partial = fold([
      ...base,
      { type: 'order.refunded', at: day(1), orderKey: 'a', deltaFen: 4_000, paidFen: 10_000 },
    ]);
    expect(computeStage(partial, cfg, day(2))).toBe('first_time');
    const full = applyEvent(partial, {
      type: 'order.refunded',
      at: day(2),
      orderKey: 'a',
      deltaFen: 6_000,
      paidFen: 10_000,
    });
    expect(computeStage(full, cfg, day(2))).toBe('window');
  });

  it('S6 order transitions from core/orders feed the lifecycle', () => {
    const order = incomingOrderSchema.parse({
      source: 'shop',
      orderNo: 'S1',
      amounts: { totalFen: 9_900 },
      status: 'paid',
      createdAt: day(0).toISOString(),
      paidAt: day(0).toISOString(),
      updatedAt: day(0).toISOString(),
    });
    const { transitions } = mergeOrderUpdate(null, order);
    const f = transitions.map((t) => lifecycleEventOf(t, day(0))).reduce(applyEvent, emptyFacts());
    expect(f.paidOrders['shop:S1']).toEqual({ paidAt: day(0), paidFen: 9_900, refundedFen: 0 });
    expect(computeStage(f, cfg, day(0))).toBe('first_time');
  });

  it('S6 decideStage reports a change once and keeps the record while the stage holds', () => {
    const f = fold([paid(0, 'a')]);
    const first = decideStage(null, f, cfg, day(0));
    expect(first.change).toEqual({ from: null, to: 'first_time', at: day(0) });
    expect(decideStage(first.record, f, cfg, day(1))).toEqual({ record: first.record, change: null });
    expect(decideStage(first.record, f, cfg, day(200)).change).toEqual({
      from: 'first_time',
      to: 'lapsed',
      at: day(200),
    });
  });

  it('config rejects a Repeat threshold below 2 and fills defaults', () => {
    expect(() => parseLifecycleConfig({ repeatMinOrders: 1 })).toThrow();
    expect(parseLifecycleConfig({ lapsedAfterDays: 90 })).toMatchObject({ lapsedAfterDays: 90, repeatMinOrders: 2 });
  });
});
