import { journeySchema, seedJourney, SEED_JOURNEYS, type Journey } from '../../../core/journeys';
import { isBirthdayToday } from '../../../core/segments';
import { instantOf, localTime } from '../../../core/time';
import { drive, event, H, MIN, plus, type Drive } from './drive';

const TZ = 'Asia/Shanghai';
const t0 = instantOf('2025-03-01', '14:00', TZ);
const j = (id: string): Journey => {
  const found = seedJourney(id);
  if (!found) throw new Error(`no seed journey ${id}`);
  return found;
};
const templates = (d: Drive): string[] => d.effects.map((e) => (e.kind === 'send' ? e.template : e.kind));

describe('seed journeys are data', () => {
  it('all nine validate against the schema and are enabled', () => {
    expect(SEED_JOURNEYS).toHaveLength(9);
    for (const s of SEED_JOURNEYS) {
      expect(journeySchema.safeParse(JSON.parse(JSON.stringify(s))).success).toBe(true);
      expect(s.enabled).toBe(true);
    }
  });
});

describe('S16 unpaid order reminder at 30 minutes (seed 002)', () => {
  const journey = j('unpaid-order-reminder');
  const created = event('order.created', t0, { subjectId: 'order-1' });

  it('unpaid → one reminder at minute 30, not before', () => {
    const before = drive(journey, created, { until: plus(t0, 29 * MIN) });
    expect(before.effects).toEqual([]);
    const d = drive(journey, created, { until: plus(t0, 3 * H) });
    expect(d.effects).toHaveLength(1);
    expect(d.effects[0]).toMatchObject({
      kind: 'send',
      template: 'order_unpaid_reminder',
      purpose: 'transactional',
      subjectId: 'order-1',
      key: 'unpaid-order-reminder:' + created.id + ':remind',
    });
    expect(d.effects[0]?.firedAt).toEqual(plus(t0, 30 * MIN));
    expect(d.run?.status).toBe('completed');
  });

  it('payment at 29 minutes → no reminder, run exited', () => {
    const d = drive(journey, created, {
      until: plus(t0, 3 * H),
      events: [event('order.paid', plus(t0, 29 * MIN), { subjectId: 'order-1' })],
    });
    expect(d.effects).toEqual([]);
    expect(d.run).toMatchObject({ status: 'exited', exitReason: 'event:order.paid', nextDueAt: null });
  });

  it('paying a different order does not silence this one', () => {
    const d = drive(journey, created, {
      until: plus(t0, H),
      events: [event('order.paid', plus(t0, 10 * MIN), { subjectId: 'order-2' })],
    });
    expect(templates(d)).toEqual(['order_unpaid_reminder']);
  });
});

describe('S17 menu click → article now, second at hour 47 unless an order came (seed 002)', () => {
  const journey = j('menu-click-follow-up');
  const click = event('oa.menu_clicked', t0, { data: { menuKey: 'rooms' } });

  it('no order → article at once and the second at exactly hour 47 (inside the 48 h window)', () => {
    const d = drive(journey, click, { until: plus(t0, 72 * H) });
    expect(templates(d)).toEqual(['menu_article', 'menu_article_second']);
    expect(d.effects.map((e) => e.firedAt)).toEqual([t0, plus(t0, 47 * H)]);
    expect(d.effects.every((e) => e.kind === 'send' && e.channel === 'oa_custom')).toBe(true);
  });

  it('order at 46h59m → no second message', () => {
    const d = drive(journey, click, {
      until: plus(t0, 72 * H),
      events: [event('order.created', plus(t0, 46 * H + 59 * MIN))],
    });
    expect(templates(d)).toEqual(['menu_article']);
    expect(d.run?.history.find((h) => h.stepId === 'ordered')?.outcome).toBe('then');
  });

  it('an order only after hour 47 does not cancel the second message', () => {
    const d = drive(journey, click, {
      until: plus(t0, 72 * H),
      events: [event('order.created', plus(t0, 47 * H + MIN))],
    });
    expect(templates(d)).toEqual(['menu_article', 'menu_article_second']);
  });
});

describe('S17 new follower survey asked again within 48 hours (seed 002)', () => {
  const journey = j('follower-survey');
  const follow = event('oa.subscribed', t0);

  it('not completed → asked again at 24 h (< 48 h)', () => {
    const d = drive(journey, follow, { until: plus(t0, 72 * H) });
    expect(templates(d)).toEqual(['welcome_survey', 'welcome_survey_retry']);
    expect(d.effects[1]!.firedAt.getTime() - t0.getTime()).toBeLessThan(48 * H);
  });

  it('survey done → no retry', () => {
    const d = drive(journey, follow, {
      until: plus(t0, 72 * H),
      events: [event('survey.completed', plus(t0, 5 * MIN))],
    });
    expect(templates(d)).toEqual(['welcome_survey']);
    expect(d.run?.status).toBe('exited');
  });
});

describe('S17 72-hour nurture for new members (seed 003)', () => {
  const journey = j('new-member-nurture-72h');
  const joined = event('member.joined', t0);

  it('three messages, all inside the first 72 hours', () => {
    const d = drive(journey, joined, { until: plus(t0, 96 * H), stepMs: 10 * MIN });
    expect(templates(d)).toEqual(['nurture_welcome', 'nurture_story', 'nurture_first_purchase_offer']);
    expect(d.effects.every((e) => e.firedAt.getTime() - t0.getTime() < 72 * H)).toBe(true);
  });

  it('a first purchase on day 2 ends the nurture', () => {
    const d = drive(journey, joined, {
      until: plus(t0, 96 * H),
      stepMs: 10 * MIN,
      events: [event('order.paid', plus(t0, 30 * H))],
    });
    expect(templates(d)).toEqual(['nurture_welcome', 'nurture_story']);
  });
});

describe('S12 personal welcome within 24 h for a follower-only referred friend in Hi-Po (seed 003)', () => {
  const journey = j('hi-po-follower-welcome');
  const lizzyFacts = { attributes: { isFollower: true, isMember: false, referred: true } };

  it('Lizzy enters Hi-Po at 21:30 → welcome and Qipao story at 10:00 next morning, within 24 h', () => {
    const entered = event('segment.entered', instantOf('2025-03-01', '21:30', TZ), {
      memberId: 'm-lizzy',
      data: { segmentId: 'hi-po' },
    });
    const d = drive(journey, entered, { until: plus(entered.at, 30 * H), facts: lizzyFacts, tz: TZ });
    expect(templates(d)).toEqual(['hi_po_personal_welcome', 'qipao_story', 'tag']);
    const first = d.effects[0]!.firedAt;
    expect(first.getTime() - entered.at.getTime()).toBeLessThanOrEqual(24 * H);
    expect(localTime(first, TZ)).toEqual({ hour: 10, minute: 0 });
  });

  it('a member, or a friend not referred, gets nothing; another segment does not trigger', () => {
    const entered = event('segment.entered', t0, { data: { segmentId: 'hi-po' } });
    expect(
      drive(journey, entered, {
        until: plus(t0, 30 * H),
        facts: { attributes: { ...lizzyFacts.attributes, isMember: true } },
      }).effects,
    ).toEqual([]);
    expect(
      drive(journey, entered, {
        until: plus(t0, 30 * H),
        facts: { attributes: { ...lizzyFacts.attributes, referred: false } },
      }).effects,
    ).toEqual([]);
    expect(
      drive(journey, event('segment.entered', t0, { data: { segmentId: 'vip' } }), {
        until: plus(t0, 30 * H),
        facts: lizzyFacts,
      }).run,
    ).toBeNull();
  });
});

describe('S13 thank-you after the first purchase (seed 003)', () => {
  const journey = j('first-purchase-thanks');
  it('first paid order → thank-you at once; later orders do not trigger', () => {
    const d = drive(journey, event('order.paid', t0, { subjectId: 'o1', data: { firstPaid: true } }), {
      until: plus(t0, H),
    });
    expect(d.effects).toEqual([
      expect.objectContaining({ template: 'first_purchase_thanks', firedAt: t0, subjectId: 'o1' }),
    ]);
    expect(
      drive(journey, event('order.paid', t0, { data: { firstPaid: false } }), { until: plus(t0, H) }).run,
    ).toBeNull();
  });
});

describe('S18 post-purchase upsell branches on category, language and activity (seed 002)', () => {
  const journey = j('post-purchase-upsell');
  const paid = (categories: string[]) => event('order.paid', t0, { subjectId: 'o9', data: { categories } });
  const run = (categories: string[], language: 'zh' | 'en', activeHoursAgo: number | null) =>
    drive(journey, paid(categories), {
      until: plus(t0, 5 * H),
      facts: (now) => ({ language, lastActiveAt: activeHoursAgo === null ? null : plus(now, -activeHoursAgo * H) }),
    }).effects;

  it.each([
    ['zh', 2, 'oa_custom', 'zh'],
    ['en', 2, 'oa_custom', 'en'],
    ['zh', 49, 'oa_template', 'zh'],
    ['en', null, 'oa_template', 'en'],
  ] as const)(
    'room buyer, language %s, last active %sh ago → %s in %s, one hour after paying',
    (language, ago, channel, lang) => {
      const effects = run(['room'], language, ago);
      expect(effects).toHaveLength(1);
      expect(effects[0]).toMatchObject({ kind: 'send', channel, data: { lang } });
      expect(effects[0]!.firedAt).toEqual(plus(t0, H));
    },
  );

  it('other categories get no upsell', () => {
    expect(run(['spa'], 'zh', 1)).toEqual([]);
  });
});

describe('S19 birthday greeting to a chosen segment on the birthday, brand time zone (seed 000)', () => {
  const journey = j('birthday-greeting');

  it('a 29 February birthday in 2027 is greeted on 28 February at 10:00 Shanghai, with the gift', () => {
    // The server's daily scan emits `birthday` for members whose isBirthdayToday holds at local midnight.
    const midnight = instantOf('2027-02-28', '00:00', TZ);
    expect(isBirthdayToday('02-29', midnight, TZ)).toBe(true);
    const d = drive(journey, event('birthday', midnight), {
      until: plus(midnight, 24 * H),
      stepMs: 5 * MIN,
      facts: { segmentIds: ['birthday-club'] },
      tz: TZ,
    });
    expect(d.effects.map((e) => e.kind)).toEqual(['send', 'grantCoupon']);
    expect(d.effects[0]).toMatchObject({
      template: 'birthday_greeting',
      firedAt: instantOf('2027-02-28', '10:00', TZ),
    });
  });

  it('members outside the chosen segment get nothing', () => {
    const midnight = instantOf('2027-05-14', '00:00', TZ);
    expect(
      drive(journey, event('birthday', midnight), {
        until: plus(midnight, 24 * H),
        stepMs: 5 * MIN,
        facts: { segmentIds: ['vip'] },
      }).effects,
    ).toEqual([]);
  });
});
