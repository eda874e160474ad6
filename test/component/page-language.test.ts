import { appModule } from '../support/miniprogram/built-app';
import { i18n, resetApp } from '../support/miniprogram/app-modules';
import { installFakeWx, type FakeWx } from '../support/miniprogram/fake-wx';
import { actions } from '../support/miniprogram/page-calls';
import { openPage, run, settle } from '../support/miniprogram/page-harness';

/** The language helpers every page calls on load and on show (utils/page-base). */
type Lang = 'zh' | 'en';
interface Base {
  lang: Lang;
  text: { points: { title: string } };
  brandName: string;
}
interface Page {
  data: Record<string, unknown> & { lang: Lang };
  setData(patch: Record<string, unknown>): void;
}
type Title = (base: Base) => string;
type More = (base: Base) => Record<string, unknown>;
interface PageBase {
  baseData(): Base;
  brandTitle: Title;
  showInLanguage(page: Page, title?: Title, more?: More): void;
  followLanguage(page: Page, title?: Title, more?: More): boolean;
}
const helpers = () => appModule<PageBase>('utils/page-base');
const brandName = (lang: Lang): string =>
  appModule<{ brand: { name: Record<Lang, string> } }>('config/brand').brand.name[lang];

const POINTS = { zh: '我的积分', en: 'My points' };
const pointsTitle: Title = (base) => base.text.points.title;

let wx: FakeWx;
/** setData calls and titles, in the order the page made them. */
let effects: (['setData', Record<string, unknown>] | ['title', string])[];
beforeEach(() => {
  wx = installFakeWx();
  resetApp();
  effects = [];
  const setTitle = wx.api.setNavigationBarTitle as (o: { title: string }) => void;
  wx.api.setNavigationBarTitle = (o: { title: string }) => {
    effects.push(['title', o.title]);
    setTitle(o);
  };
});

/** A page as the framework gives it: `data` from its definition (here in `lang`), `setData` merging into it. */
function pageIn(lang: Lang): Page {
  return {
    data: { lang, note: 'kept' },
    setData(patch) {
      effects.push(['setData', patch]);
      Object.assign(this.data, patch);
    },
  };
}

describe('showInLanguage (on load)', () => {
  test("sets the base data with the page's own data in one call, then shows the title in the current language", () => {
    i18n().setLang('en');
    const page = pageIn('zh');
    helpers().showInLanguage(page, pointsTitle, (base) => ({
      greeting: `${base.lang}:${base.brandName}`,
      storeId: 's1',
    }));
    expect(effects).toEqual([
      [
        'setData',
        expect.objectContaining({
          lang: 'en',
          brandName: brandName('en'),
          greeting: `en:${brandName('en')}`,
          storeId: 's1',
        }),
      ],
      ['title', POINTS.en],
    ]);
    expect(page.data).toMatchObject({ lang: 'en', text: i18n().dict('en'), note: 'kept' });
  });

  test('without a title it sets the data only; tab pages carry the brand name', () => {
    i18n().setLang('zh');
    const page = pageIn('zh');
    helpers().showInLanguage(page);
    expect(effects).toEqual([['setData', helpers().baseData()]]);
    helpers().showInLanguage(page, helpers().brandTitle);
    expect(wx.navigationTitles).toEqual([brandName('zh')]);
  });
});

describe('followLanguage (on show)', () => {
  test('after a switch on another page: data and title in the new language, tab bar too, and it reports the change', () => {
    i18n().setLang('zh');
    const page = pageIn('zh');
    helpers().showInLanguage(page, pointsTitle);
    effects = [];
    i18n().setLang('en');
    wx.tabBarTexts = [];

    expect(helpers().followLanguage(page, pointsTitle, (base) => ({ balanceText: base.lang }))).toBe(true);
    expect(effects).toEqual([
      [
        'setData',
        expect.objectContaining({ lang: 'en', text: i18n().dict('en'), brandName: brandName('en'), balanceText: 'en' }),
      ],
      ['title', POINTS.en],
    ]);
    expect(wx.tabBarTexts).toEqual(['Home', 'Coupons', 'Bookings', 'Me']);
  });

  test('without a switch: nothing set, no title, only the tab bar, and it reports no change', () => {
    i18n().setLang('en');
    const page = pageIn('en');
    const more = jest.fn(() => ({}));
    expect(helpers().followLanguage(page, pointsTitle, more)).toBe(false);
    expect(effects).toEqual([]);
    expect(more).not.toHaveBeenCalled();
    expect(wx.tabBarTexts).toEqual(['Home', 'Coupons', 'Bookings', 'Me']);
  });
});

describe('a page that does more when the language changed', () => {
  const SERVICES = 'packageAppointments/pages/services/index';
  const catalogueCalls = () => actions(wx).filter((a) => a === 'appointments.catalogue').length;

  test('the service list reloads (and is retitled) only after a switch', async () => {
    i18n().setLang('zh');
    const page = openPage(SERVICES);
    run(page, 'onLoad', { store: 'store_1' });
    run(page, 'onShow');
    await settle();
    expect(catalogueCalls()).toBe(1);
    expect(page.data).toMatchObject({ lang: 'zh', storeId: 'store_1' });

    run(page, 'onShow');
    await settle();
    expect(catalogueCalls()).toBe(1);

    i18n().setLang('en');
    run(page, 'onShow');
    await settle();
    expect(catalogueCalls()).toBe(2);
    expect(page.data).toMatchObject({ lang: 'en', storeId: 'store_1' });
    expect(wx.navigationTitles[wx.navigationTitles.length - 1]).toBe('Book a service');
  });
});
