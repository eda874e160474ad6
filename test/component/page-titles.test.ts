import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appModule, builtApp } from '../support/miniprogram/built-app';
import { i18n, resetApp } from '../support/miniprogram/app-modules';
import { installFakeWx, type FakeWx } from '../support/miniprogram/fake-wx';
import { openPage, run, settle, type PageInstance } from '../support/miniprogram/page-harness';

/**
 * Navigation-bar titles follow the reader's language. The Chinese title a page sets must be the
 * `navigationBarTitleText` its index.json paints first (no flicker); the English one is listed
 * here as the reader should see it. Tab pages carry the brand name, from the brand config.
 */
const SUBPACKAGE_PAGES: [page: string, english: string][] = [
  ['packageMember/pages/mall/index', 'Points mall'],
  ['packageMember/pages/profile/index', 'Profile and consents'],
  ['packageMember/pages/claim-centre/index', 'Get coupons'],
  ['packageMember/pages/claim/index', 'Claim membership card'],
  ['packageMember/pages/points/index', 'My points'],
  ['packageMember/pages/coupon/index', 'Coupon'],
  ['packageMember/pages/my-data/index', 'My data'],
  ['packageMember/pages/survey/index', 'Survey'],
  ['packageMember/pages/orders/index', 'My orders'],
  ['packageMember/pages/order/index', 'Order details'],
  ['packageAppointments/pages/services/index', 'Book a service'],
  ['packageAppointments/pages/slots/index', 'Choose a time'],
  ['packageAppointments/pages/confirm/index', 'Confirm booking'],
  ['packageAppointments/pages/mine/index', 'My bookings'],
  ['packageAdmin/pages/index/index', 'Staff workbench'],
  ['packageAdmin/pages/scan/index', 'Scan'],
  ['packageAdmin/pages/member/index', 'Member lookup'],
  ['packageAdmin/pages/audit/index', 'Audit log'],
  ['packageAdmin/pages/dashboard/index', 'Dashboard'],
  ['packageAdmin/pages/coupon-templates/index', 'Coupon templates'],
  ['packageAdmin/pages/schedule/index', 'Schedule'],
  ['packageAdmin/pages/qrcodes/index', 'QR codes'],
  ['packageAdmin/pages/segments/index', 'Segments and campaigns'],
  ['packageAdmin/pages/journeys/index', 'Journeys'],
  ['packageAdmin/pages/journey-edit/index', 'Edit journey'],
  ['packageAdmin/pages/tags/index', 'Tags'],
  ['packageAdmin/pages/insight/index', 'Insight'],
  ['packageAdmin/pages/repair/index', 'Member data repair'],
  ['packageReferral/pages/invite/index', 'Invite friends'],
  ['packageReferral/pages/landing/index', 'Invitation'],
];
const TAB_PAGES = ['pages/home/index', 'pages/coupons/index', 'pages/appointments/index', 'pages/me/index'];

type Lang = 'zh' | 'en';
const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(builtApp().outDir, file), 'utf8')) as Record<string, unknown>;
const firstPaint = (page: string): unknown => readJson(`${page}.json`).navigationBarTitleText;
const brandName = (lang: Lang): string =>
  appModule<{ brand: { name: Record<Lang, string> } }>('config/brand').brand.name[lang];
const CJK = /[\u3400-\u9fff]/;

let wx: FakeWx;
beforeEach(() => {
  wx = installFakeWx();
  resetApp();
  appModule<{ forgetStaff(): void }>('packageAdmin/utils').forgetStaff();
  // pages may ask or move on while their (refused) loads settle; none of that matters to the title
  Object.assign(wx.api, {
    showModal: () => undefined,
    switchTab: () => undefined,
    reLaunch: () => undefined,
    redirectTo: () => undefined,
  });
});

/** Opens a page the way the framework does (onLoad, then onShow) in the given language; its data calls are refused. */
async function openIn(lang: Lang, page: string): Promise<PageInstance> {
  i18n().setLang(lang);
  const p = openPage(page);
  run(p, 'onLoad', {});
  run(p, 'onShow');
  await settle();
  return p;
}

/** The language is changed elsewhere (the Me page), then the reader comes back to this page. */
async function switchAndReturn(p: PageInstance, lang: Lang): Promise<void> {
  if (typeof p.onHide === 'function') run(p, 'onHide');
  i18n().setLang(lang);
  run(p, 'onShow');
  await settle();
}

const lastTitle = (): string | undefined => wx.navigationTitles[wx.navigationTitles.length - 1];

describe('navigation-bar titles follow the language', () => {
  test('every page with its own title in index.json is covered here', () => {
    const app = readJson('app.json') as { subpackages: { root: string; pages: string[] }[] };
    const titled = app.subpackages
      .flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))
      .filter((p) => typeof firstPaint(p) === 'string');
    expect(SUBPACKAGE_PAGES.map(([p]) => p).sort()).toEqual(titled.sort());
  });

  test.each(SUBPACKAGE_PAGES)(
    '%s: Chinese title is the first paint, English title in English, both follow a switch',
    async (page, english) => {
      const chinese = firstPaint(page);
      expect(chinese).toMatch(CJK);

      const p = await openIn('en', page);
      expect(wx.navigationTitles[0]).toBe(english);
      expect(lastTitle()).toBe(english);

      await switchAndReturn(p, 'zh');
      expect(lastTitle()).toBe(chinese);

      await switchAndReturn(p, 'en');
      expect(lastTitle()).toBe(english);
    },
  );

  test.each(SUBPACKAGE_PAGES)('%s: opened in Chinese, the title is the Chinese first paint', async (page) => {
    await openIn('zh', page);
    expect(wx.navigationTitles).not.toHaveLength(0);
    expect(new Set(wx.navigationTitles)).toEqual(new Set([firstPaint(page)]));
  });

  test('returning without a language change does not set the title again', async () => {
    const p = await openIn('en', 'packageMember/pages/points/index');
    const count = wx.navigationTitles.length;
    run(p, 'onShow');
    await settle();
    expect(wx.navigationTitles).toHaveLength(count);
  });

  test.each(TAB_PAGES)("%s: tab page shows the configured brand name in the reader's language", async (page) => {
    expect(readJson('app.json')).toMatchObject({ window: { navigationBarTitleText: brandName('zh') } });
    expect(brandName('en')).not.toBe(brandName('zh'));
    const p = await openIn('en', page);
    expect(lastTitle()).toBe(brandName('en'));
    await switchAndReturn(p, 'zh');
    expect(lastTitle()).toBe(brandName('zh'));
  });

  test('switching the language on the Me page retitles it at once', async () => {
    const p = await openIn('zh', 'pages/me/index');
    run(p, 'switchLang', { currentTarget: { dataset: { lang: 'en' } } });
    expect(lastTitle()).toBe(brandName('en'));
  });
});
