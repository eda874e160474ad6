import { moveClock } from '../../../emulator/functions/timers';
import en from '../../../miniprogram/i18n/en.json';
import zh from '../../../miniprogram/i18n/zh.json';
import { texts as auditTexts } from '../../../miniprogram/packageAdmin/pages/audit/text';
import { texts as templateTexts } from '../../../miniprogram/packageAdmin/pages/coupon-templates/text';
import { texts as dashboardTexts } from '../../../miniprogram/packageAdmin/pages/dashboard/text';
import { texts as hubTexts } from '../../../miniprogram/packageAdmin/pages/index/text';
import { texts as journeyTexts } from '../../../miniprogram/packageAdmin/pages/journeys/text';
import { texts as memberTexts } from '../../../miniprogram/packageAdmin/pages/member/text';
import { texts as qrTexts } from '../../../miniprogram/packageAdmin/pages/qrcodes/text';
import { texts as scanTexts } from '../../../miniprogram/packageAdmin/pages/scan/text';
import { texts as scheduleTexts } from '../../../miniprogram/packageAdmin/pages/schedule/text';
import { texts as segmentTexts } from '../../../miniprogram/packageAdmin/pages/segments/text';
import { texts as inviteTexts } from '../../../miniprogram/packageReferral/pages/invite/text';
import { brand as brandConfig } from '../../../miniprogram/config/brand';
import { SEED_JOURNEYS } from '../../../core/journeys/seeds';
import { demoBrand } from '../../../scripts/seed/demo-brand';
import { DEMO_STORE } from '../../../preview/personas';
import { as } from '../../support/client';
import { eventually, usePreview, fresh, type AppPage } from '../../support/preview';
import { oaEventXml, oaQuery } from '../../integration/member/helpers';
import { order, syncOrders } from '../../integration/orders/support';

/**
 * Every page a person sees, in Chinese and in English ("screenshots that a person would
 * call a finished product, in both languages"). The demo brand first gets a little life through the
 * product's own actions — a claimed coupon, a points exchange, a booking, an invited friend,
 * followers and a purchase summed up by the real daily-statistics timer — then each persona walks
 * its pages: each must load, show no error, carry its title from its dictionary, leave no raw key
 * or placeholder, and in English show Chinese only where it is someone's own data (names).
 * Screenshots: test-artifacts/miniprogram/tour-<lang>-<page>.png.
 */

jest.setTimeout(180_000);

type Lang = 'zh' | 'en';
type Page = AppPage;

const MEMBER = 'o_preview_member';
const FRIEND = 'o_preview_friend';
const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3_600_000;
const dict = { zh, en };
const brand = brandConfig.name;

/** Chinese a person typed or the brand named (people, stores, cities, saved segments, journeys): shown as is in English too. */
const REASON = '门店活动奖励';
const FRIEND_NAME = '周丽兹';
/** What the brand's till calls the items bought (order sync carries the item names as the brand wrote them). */
const ITEM_NAME = '旗袍';
/** The member persona's own purchases (preview/seed.ts): item names as the POS and Tmall sent them. */
const PERSONA_ITEMS = ['真丝旗袍', '盘扣披肩'];
/**
 * Chinese that stays Chinese in English: what people typed (names, a reason), what the brand named
 * in one language (staff, saved segments, journeys, cities), the logo, and the language switch's own "中文".
 */
const DATA_IN_CHINESE = [
  REASON,
  ITEM_NAME,
  ...PERSONA_ITEMS,
  '林小满',
  '林*',
  `${FRIEND_NAME[0]}*`,
  '上海',
  '深圳',
  ...demoBrand.staff.map((s) => s.name),
  ...demoBrand.segments.map((s) => s.name),
  ...SEED_JOURNEYS.map((j) => j.name),
  zh.lang.zh,
  brandConfig.logoText,
].sort((a, b) => b.length - a.length);

let couponId = '';
let memberId = '';
let cardNo = '';
let bookedDate = '';

const localDate = (at: Date) => new Date(at.getTime() + SHANGHAI_MS).toISOString().slice(0, 10);
const midnight = (now: Date, back: number) =>
  new Date(Date.parse(`${localDate(now)}T00:00:00Z`) - SHANGHAI_MS - back * DAY_MS);

/** A few days of the brand's life, made by the product's own actions. */
async function liven(): Promise<void> {
  const member = as(app.h.emulator, MEMBER);
  const me = await member.ok('member', 'login', {});
  memberId = me.memberId;
  cardNo = me.card!.cardNo;
  couponId = (await member.ok('coupons', 'claim', { templateId: 'tpl_spring_50', requestId: 'tour-claim-1' })).coupon
    .couponId;
  // points from a purchase and from the store manager (an audited adjustment), some spent in the mall
  const paid = new Date(app.h.emulator.clock.now().getTime() - 3_600_000);
  expect(
    (
      await syncOrders(app.h.emulator, 'pos', [
        order({
          orderNo: 'TOUR-1001',
          customer: [{ type: 'openid', value: MEMBER }],
          totalFen: 128_000,
          createdAt: paid,
          paidAt: paid,
        }),
      ])
    ).status,
  ).toBe(200);
  await as(app.h.emulator, 'o_demo_manager').ok('points', 'adjust', {
    memberId,
    delta: 200,
    reason: REASON,
    requestId: 'tour-adjust-1',
  });
  await member.ok('coupons', 'exchange', { templateId: 'tpl_mall_30', requestId: 'tour-exchange-1' });

  const today = localDate(app.h.emulator.clock.now());
  const open = await member.ok('appointments', 'availability', {
    storeId: DEMO_STORE,
    serviceId: 'svc_qipao_fitting',
    from: today,
    days: 7,
  });
  const slot = open.days
    .flatMap((d) => d.slots)
    .find((s) => s.remaining > 0 && Date.parse(s.start) > app.h.emulator.clock.now().getTime());
  expect(slot).toBeDefined();
  const booked = await member.ok('appointments', 'book', {
    storeId: DEMO_STORE,
    serviceId: 'svc_qipao_fitting',
    start: slot!.start,
    requestId: 'tour-book-1',
  });
  bookedDate = booked.appointment.date; // the schedule opens on that day (the first free slot may be tomorrow)

  const { token } = await member.ok('referral', 'shareToken', {});
  const friend = as(app.h.emulator, FRIEND);
  await friend.ok('member', 'login', { entryScene: 1007, query: { ref: token } });
  await friend.ok('referral', 'open', { token });
  await friend.ok('member', 'claimCard', {
    name: FRIEND_NAME,
    birthday: '1996-09-02',
    language: 'zh',
    consents: { privacyVersion: '2026-01', marketingOptIn: false },
  });

  // followers over three days, one of them buying; the statistics timer sums up each day at 00:05
  const now = app.h.emulator.clock.now();
  const days: { follows: string[]; buys: string[] }[] = [
    { follows: ['oa_tour_a', 'oa_tour_b', 'oa_tour_c'], buys: [] },
    { follows: ['oa_tour_d'], buys: ['oa_tour_a'] },
    { follows: [], buys: ['oa_tour_b'] },
  ];
  for (const [i, d] of days.entries()) {
    const start = midnight(now, days.length - i);
    app.h.emulator.clock.set(new Date(start.getTime() + 12 * 3_600_000));
    const at = Math.floor(app.h.emulator.clock.now().getTime() / 1000);
    for (const who of d.follows) {
      const res = await fetch(`${app.h.emulator.url}/http/oa/callback?${oaQuery()}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: oaEventXml({ from: who, event: 'subscribe', unionid: `u_${who}`, at }),
      });
      expect(res.status).toBe(200);
    }
    for (const who of d.buys) {
      const paid = new Date(app.h.emulator.clock.now().getTime() - 60_000);
      expect(
        (
          await syncOrders(app.h.emulator, 'pos', [
            order({
              orderNo: `TOUR-${who}`,
              customer: [{ type: 'openid', value: who }],
              createdAt: paid,
              paidAt: paid,
            }),
          ])
        ).status,
      ).toBe(200);
    }
    const next = new Date(start.getTime() + DAY_MS);
    app.h.emulator.clock.set(new Date(next.getTime() + 4 * 60_000));
    const fired = await moveClock(app.h.emulator.runtime, app.h.emulator.clock, new Date(next.getTime() + 6 * 60_000), {
      only: ['orders:dailyStats'],
    });
    expect(fired.map((f) => f.ok)).toEqual([true]);
  }
  app.h.emulator.clock.set(new Date(now.getTime() + 60_000));
}

/** One stop of the tour: how to reach the page and where its title is. */
interface Stop {
  name: string;
  /** A tab (`switchTab`) or a page opened on top of the persona's start page (`navigateTo`, then back). */
  tab?: boolean;
  url: string;
  title: (lang: Lang) => string;
  /** Where the title is shown; `.page-title` unless told. */
  at?: string;
  /** The state the page must reach with the tour's data (never 'error'). */
  expect?: 'ready' | 'empty';
  /** Staff pages show ids on purpose (tags, audit records, order numbers): not checked for raw ids. */
  staff?: boolean;
  /** Raw text the page is known to show, reported and left to its owner (see the report). */
  known?: RegExp;
}

const pageTitle =
  <T extends { title: string }>(t: { zh: T; en: T }) =>
  (lang: Lang) =>
    t[lang].title;

const TOURS: { persona: string; stops: Stop[] }[] = [
  {
    persona: 'member',
    stops: [
      {
        name: 'home-member',
        tab: true,
        url: '/pages/home/index',
        title: (l) => dict[l].home.cardTitle,
        at: '#member-card .card-title',
      },
      { name: 'coupons', tab: true, url: '/pages/coupons/index', title: (l) => dict[l].coupons.title },
      { name: 'coupon-detail', url: '/packageMember/pages/coupon/index?id=', title: (l) => dict[l].coupon.title },
      { name: 'appointments', tab: true, url: '/pages/appointments/index', title: (l) => dict[l].appointments.title },
      { name: 'my-bookings', url: '/packageAppointments/pages/mine/index', title: (l) => dict[l].booking.mineCta },
      { name: 'me-member', tab: true, url: '/pages/me/index', title: (l) => dict[l].me.title },
      { name: 'points', url: '/packageMember/pages/points/index', title: (l) => dict[l].points.title },
      { name: 'orders', url: '/packageMember/pages/orders/index', title: (l) => dict[l].orders.title },
      {
        name: 'order-detail',
        url: '/packageMember/pages/order/index?id=pos%3ATOUR-1001',
        title: (l) => dict[l].orders.detailTitle,
      },
      { name: 'profile', url: '/packageMember/pages/profile/index', title: (l) => dict[l].profile.title },
      { name: 'claim-centre', url: '/packageMember/pages/claim-centre/index', title: (l) => dict[l].offer.centreTitle },
      { name: 'mall', url: '/packageMember/pages/mall/index', title: (l) => dict[l].offer.mallTitle },
      { name: 'invite', url: '/packageReferral/pages/invite/index', title: pageTitle(inviteTexts) },
    ],
  },
  {
    persona: 'visitor',
    stops: [
      {
        name: 'home-visitor',
        tab: true,
        url: '/pages/home/index',
        title: (l) => dict[l].home.welcome.replace('{brand}', brand[l]),
        at: '#welcome',
      },
      { name: 'claim-form', url: '/packageMember/pages/claim/index', title: (l) => dict[l].claim.title },
    ],
  },
  {
    persona: 'admin',
    stops: [
      { name: 'staff-hub', url: '/packageAdmin/pages/index/index', title: pageTitle(hubTexts), staff: true },
      { name: 'scan', url: '/packageAdmin/pages/scan/index', title: pageTitle(scanTexts), staff: true },
      {
        name: 'dashboard',
        url: '/packageAdmin/pages/dashboard/index',
        title: (l) => `${brand[l]} · ${dashboardTexts[l].title}`,
        staff: true,
      },
      {
        name: 'member-lookup',
        url: '/packageAdmin/pages/member/index?memberId={memberId}&cardNo={cardNo}',
        title: pageTitle(memberTexts),
        staff: true,
      },
      { name: 'audit', url: '/packageAdmin/pages/audit/index', title: pageTitle(auditTexts), staff: true },
      {
        name: 'coupon-templates',
        url: '/packageAdmin/pages/coupon-templates/index',
        title: pageTitle(templateTexts),
        staff: true,
      },
      {
        name: 'schedule',
        url: '/packageAdmin/pages/schedule/index?date=',
        title: pageTitle(scheduleTexts),
        staff: true,
      },
      { name: 'qrcodes', url: '/packageAdmin/pages/qrcodes/index', title: pageTitle(qrTexts), staff: true },
      { name: 'segments', url: '/packageAdmin/pages/segments/index', title: pageTitle(segmentTexts), staff: true },
      { name: 'journeys', url: '/packageAdmin/pages/journeys/index', title: pageTitle(journeyTexts), staff: true },
    ],
  },
];

const pathOf = (url: string) => url.slice(1).split('?')[0]!;

const textOf = async (page: Page, selector: string) =>
  fresh(async () => ((await (await page.$(selector))?.text()) ?? '').replace(/\s+/g, ' ').trim());

/** Runs of Chinese characters in `text` that are not someone's own data. */
const chineseLeft = (text: string) =>
  DATA_IN_CHINESE.reduce((t, d) => t.split(d).join(' '), text).match(/[\u3400-\u9fff\uff00-\uffef]+/g) ?? [];

/** Opens the stop's page and returns what is wrong with it as a person would see it (nothing, when all is well). */
async function visit(stop: Stop, lang: Lang): Promise<string[]> {
  const known = { memberId, cardNo: encodeURIComponent(cardNo) };
  const base = stop.url.replace(/\{(memberId|cardNo)\}/g, (_m, k: keyof typeof known) => known[k]);
  const url = base.endsWith('id=') ? base + couponId : base.endsWith('date=') ? base + bookedDate : base;
  // straight to wx: the automator's own navigateTo/switchTab sleep 3 s after every route change
  await app.mp.callWxMethod(stop.tab ? 'switchTab' : 'navigateTo', { url });
  const page = await app.settled(pathOf(url), { timeoutMs: 20_000 });
  const problems: string[] = [];
  const status = await page.data('status');
  if (status !== (stop.expect ?? 'ready')) problems.push(`status ${status}: ${await page.data('message')}`);
  if ((await page.data('lang')) !== lang) problems.push(`lang ${await page.data('lang')}`);
  const title = await textOf(page, stop.at ?? '.page-title');
  if (title !== stop.title(lang)) problems.push(`title "${title}"`);

  const shown = (await textOf(page, '.page')).replace(stop.known ?? /$^/, ' ');
  // placeholders, missing values, dictionary keys ('home.claimCta'); on a member's page, ids ('silver', 'tpl_spring_50')
  const raw = [
    /\{\w+\}/,
    /\b(undefined|null|NaN|Invalid Date)\b/,
    /\b[a-z]+\.[a-z]+[A-Z]\w*\b/,
    ...(stop.staff ? [] : [/\b[a-z]+_[a-z0-9_]+\b/]),
    ...(stop.staff || lang === 'en' ? [] : [/\b(member|silver|gold|black)\b/]),
  ];
  const leftovers = shown.match(new RegExp(raw.map((r) => r.source).join('|'), 'g'));
  if (leftovers) problems.push(`raw text ${leftovers.join(' | ')}`);
  const chinese = lang === 'en' ? chineseLeft(shown) : [];
  if (chinese.length) problems.push(`Chinese in English: ${chinese.join(' | ')}`);
  await app.h.screenshot(`tour-${lang}-${stop.name}`);
  if (!stop.tab) {
    await app.mp.callWxMethod('navigateBack', { delta: 1 });
    await eventually(async () => expect((await app.mp.currentPage())?.path).not.toBe(pathOf(url)));
  }
  return problems.map((p) => `${lang}/${stop.name}: ${p}`);
}

const app = usePreview({ persona: 'member' }, () => liven());

test.each([
  ['zh', 'zh_CN'],
  ['en', 'en_US'],
] as const)('S1–S21 tour: every page renders ready in Chinese and English (%s)', async (lang, systemLanguage) => {
  const problems: string[] = [];
  for (const tour of TOURS) {
    await app.h.relaunch(tour.persona, { lang: systemLanguage });
    for (const stop of tour.stops) problems.push(...(await visit(stop, lang)));
  }
  expect(problems).toEqual([]);
});
