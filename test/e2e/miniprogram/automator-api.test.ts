import automator from 'miniprogram-automator';
import { eventually, fresh, usePreview, type AppPage } from '../../support/preview';

/**
 * miniprogram-automator's documented API against the preview, method by method, on the real app:
 * what DevTools answers, or the refusal of a call that needs WeChat itself. A visitor on home
 * (the claim invitation, a TDesign button) and the claim form (inputs, a date picker).
 */

jest.setTimeout(120_000);

type Page = AppPage;
type El = NonNullable<Awaited<ReturnType<Page['$']>>>;

const app = usePreview({ persona: 'visitor' });

/**
 * Home once it is ready and has stopped rendering: it may render once more after it is ready (its
 * later reads answering), and a handle taken before that is refused. A handle that still answers
 * after a pause shows the page is settled.
 */
async function home(): Promise<Page> {
  return eventually(async () => {
    const page = (await app.mp.currentPage())!;
    expect(page.path).toBe('pages/home/index');
    expect(await page.data('status')).toBe('ready');
    const probe = (await page.$('#welcome'))!;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await probe.text()).toBe(await page.data('welcome'));
    return page;
  });
}

const must = async (el: Promise<El | null>): Promise<El> => {
  const found = await el;
  if (!found) throw new Error('element not found');
  return found;
};
const classes = (els: El[]) => Promise.all(els.map((e) => e.attribute('class')));

/** The browser's own box of the element with WXML id `id` and of the page area, to check what automator reports. */
const boxes = (id: string) =>
  app.h.page.evaluate((wxId) => {
    const rect = (el: globalThis.Element | null) => el!.getBoundingClientRect().toJSON() as DOMRect;
    const all = [...document.querySelectorAll('#pv-body *')] as unknown as { __wxElement?: { id: string } }[];
    const el = all.find((d) => d.__wxElement?.id === wxId) as unknown as globalThis.Element;
    return { el: rect(el), body: rect(document.getElementById('pv-body')) };
  }, id);

describe('Page', () => {
  test('page.$$ and page.$ select by WXML tag, class, id, attribute, descendant and child combinators', async () => {
    const page = await home();
    // descendant: every text inside the card, the join benefits' too; child: only the card's own
    const own = ['welcome', 'card-title', 'card-hint', 'join-title'];
    const benefits = (await page.$$('#join-benefits text')).length;
    expect(benefits).toBeGreaterThan(0);
    expect(await classes(await page.$$('.card text'))).toEqual([...own, ...Array(benefits).fill('benefit')]);
    expect(await classes(await page.$$('#claim-invite > text'))).toEqual(own);
    expect(await classes(await page.$$('.brand text'))).toEqual(['brand-name']);
    expect((await page.$$('view')).length).toBeGreaterThanOrEqual(4);
    expect(await classes(await page.$$('.brand > view, .brand-name'))).toEqual(['logo', 'brand-name']);
    expect(await (await must(page.$('text[id=welcome]'))).text()).toBe('欢迎来到苏韵');
    expect(await page.$('.card > .logo')).toBeNull();
    await expect(page.$$('.card ~ text')).rejects.toThrow(/invalid selector/);
  });

  test('page.$ finds a custom component by its tag (t-button), as a CustomElement', async () => {
    const page = await home();
    // home may render once more after it is ready (a handle taken before that is refused), so query again
    const button = await fresh(async () => {
      const [found] = await page.$$('t-button');
      expect(await found!.attribute('id')).toBe('claim-cta');
      return found!;
    });
    expect(button.tagName).toBe('t-button');
    expect(button).toBeInstanceOf(automator.CustomElement);
    const state = (await must(page.$('state-view'))) as unknown as { data(path: string): Promise<unknown> };
    expect(await state.data('status')).toBe('ready');
  });

  test('page.xpath, page.getElementByXpath and page.getElementsByXpath walk the WXML tree', async () => {
    const page = await home();
    expect(await (await must(page.xpath('//text[@id="welcome"]'))).text()).toBe('欢迎来到苏韵');
    const button = await must(page.getElementByXpath('//view[@id="claim-invite"]/t-button'));
    expect(await button.attribute('id')).toBe('claim-cta');
    const texts = await page.getElementsByXpath('//view[contains(@class,"card-invite")]/text');
    expect(await classes(texts)).toEqual(['welcome', 'card-title', 'card-hint', 'join-title']);
    expect(await page.xpath('//picker')).toBeNull();
  });

  test('page.data, page.setData and page.callMethod reach the page instance', async () => {
    const page = await home();
    expect(await page.data('welcome')).toBe('欢迎来到苏韵');
    await page.setData({ welcome: '你好' });
    expect(await (await must(page.$('#welcome'))).text()).toBe('你好');
    await page.setData({ welcome: '欢迎来到苏韵' });
    await expect(page.callMethod('noSuchMethod')).rejects.toThrow('page.noSuchMethod not exists');
  });

  test('page.size, page.scrollTop and page.windowProperty read the page area', async () => {
    const page = await home();
    const { width, height } = await page.size();
    expect(width).toBe(375);
    expect(height).toBeGreaterThan(0);
    expect(await page.scrollTop()).toBe(0);
    const win = page as unknown as { windowProperty(name: string): Promise<unknown> };
    expect(await win.windowProperty('document.documentElement.scrollWidth')).toBe(375);
  });

  test('page.waitFor waits for a selector, a condition or a time', async () => {
    const page = await home();
    await page.waitFor('#claim-cta');
    await page.waitFor(async () => (await page.$$('t-button')).length === 1);
    const t = Date.now();
    await page.waitFor(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(190);
  });
});

describe('Element', () => {
  test('element.offset is in page coordinates (from the page’s top-left), element.size the box', async () => {
    const page = await home();
    const welcome = await must(page.$('#welcome'));
    const { el, body } = await boxes('welcome');
    expect(await welcome.offset()).toEqual({ left: el.left - body.left, top: el.top - body.top });
    expect(el.left - body.left).toBeLessThan(375);
    expect(await welcome.size()).toEqual({ width: Math.round(el.width), height: Math.round(el.height) });
  });

  test('element.text, attribute, style and domProperty read the rendered element', async () => {
    const welcome = await must((await home()).$('#welcome'));
    expect(await welcome.text()).toBe('欢迎来到苏韵');
    expect(await welcome.attribute('class')).toBe('welcome');
    expect(await welcome.attribute('id')).toBe('welcome');
    expect(await welcome.style('display')).not.toBe('');
    const dom = welcome as unknown as { domProperty(name: string): Promise<unknown> };
    expect(await dom.domProperty('innerText')).toBe('欢迎来到苏韵');
  });

  test('element.wxml and element.outerWxml keep ids and classes as written, slots filled', async () => {
    const card = await must((await home()).$('#claim-invite'));
    const outer = await card.outerWxml();
    expect(outer.startsWith('<view id="claim-invite" class="card card-invite">')).toBe(true);
    expect(outer).toContain('<text id="welcome" class="welcome">欢迎来到苏韵</text>');
    expect(outer).toContain('<t-button id="claim-cta">');
    expect(await card.wxml()).toBe(outer.slice(outer.indexOf('>') + 1, -'</view>'.length));
    const button = await must(card.$('t-button'));
    expect(await button.wxml()).toContain('<view class="t-button__content">领取会员卡</view>');
  });

  test('element.property answers id, class, dataset on every element, and a component’s properties', async () => {
    const page = await home();
    const welcome = await must(page.$('#welcome'));
    expect(await welcome.property('id')).toBe('welcome');
    expect(await welcome.property('dataset')).toEqual({});
    const button = await must(page.$('#claim-cta'));
    expect(await button.property('theme')).toBe('primary');
    await expect(welcome.property('noSuchProperty')).rejects.toThrow('text.noSuchProperty not exists');
  });

  test('element.$ and element.$$ search inside a custom component’s own template', async () => {
    const button = await must((await home()).$('#claim-cta'));
    expect(await (await must(button.$('.t-button__content'))).text()).toBe('领取会员卡');
    expect(await button.$$('button')).toHaveLength(1);
  });

  test('element.longpress: touchstart, touchend; a 350 ms hold is a longpress, a move cancels it', async () => {
    const page = await home();
    const welcome = await must(page.$('#welcome'));
    await app.h.page.evaluate(() => {
      type Node = { __wxElement?: { id: string; addListener(t: string, f: () => void): void } };
      const all = [...document.querySelectorAll('#pv-body *')] as unknown as Node[];
      const el = all.find((d) => d.__wxElement?.id === 'welcome')!.__wxElement!;
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      const types = ['touchstart', 'touchmove', 'touchend', 'longpress', 'longtap'];
      for (const type of types) el.addListener(type, () => seen.push(type));
    });
    const seen = () => app.h.page.evaluate(() => (window as unknown as { seen: string[] }).seen.splice(0));
    await welcome.longpress();
    expect(await seen()).toEqual(['touchstart', 'longpress', 'longtap', 'touchend']);
    await welcome.touchstart();
    await welcome.touchmove({ touches: [{ identifier: 0, pageX: 10, pageY: 10, clientX: 10, clientY: 10 }] });
    await new Promise((r) => setTimeout(r, 400));
    await welcome.touchend();
    expect(await seen()).toEqual(['touchstart', 'touchmove', 'touchend']);
  });

  test('element.trigger and element.dispatchEvent deliver events to the page’s handlers', async () => {
    const page = await home();
    const button = await must(page.$('#claim-cta'));
    await button.trigger('tap', {});
    await eventually(async () => expect((await app.mp.currentPage())?.path).toBe('packageMember/pages/claim/index'));
    await app.mp.navigateBack();
    const again = await must((await home()).$('#claim-cta'));
    await again.dispatchEvent({ eventName: 'tap', detail: {} });
    await eventually(async () => expect((await app.mp.currentPage())?.path).toBe('packageMember/pages/claim/index'));
    await app.mp.navigateBack();
  });

  test('a handle taken before a re-render answers an error, not a 0×0 box and empty text', async () => {
    const page = await home();
    const welcome = await must(page.$('#welcome'));
    await page.setData({ cardHolder: true, card: { tier: '银卡', points: 0, cardNo: 'X' }, codeStatus: 'hidden' });
    await expect(welcome.size()).rejects.toThrow(/is no longer on the page/);
    await expect(welcome.text()).rejects.toThrow(/is no longer on the page/);
    await page.setData({ cardHolder: false });
    expect(await (await must(page.$('#welcome'))).text()).toBe('欢迎来到苏韵');
  });

  test('claim form: a picker by its tag, input.input, element.value, CustomElement data and callMethod', async () => {
    await app.mp.navigateTo('/packageMember/pages/claim/index');
    const claim = await eventually(async () => {
      const page = (await app.mp.currentPage())!;
      expect(page.path).toBe('packageMember/pages/claim/index');
      expect(await page.data('status')).toBe('ready');
      return page;
    });
    const picker = await must(claim.$('picker'));
    expect(picker.tagName).toBe('picker');
    expect(await picker.property('mode')).toBe('date');
    const name = await must(claim.$('input#name'));
    await (name as unknown as { input(v: string): Promise<void> }).input('林小满');
    expect(await name.value()).toBe('林小满');
    expect(await claim.data('form.name')).toBe('林小满');
    type Custom = { data(p: string): Promise<unknown>; callMethod(m: string): Promise<unknown> };
    const state = (await must(claim.$('state-view'))) as unknown as Custom;
    expect(await state.data('status')).toBe('ready');
    await expect(state.callMethod('noSuchMethod')).rejects.toThrow();
    await app.mp.navigateBack();
  });

  test('element.callFunction: scroll-view scrollTo, scrollLeft, scrollWidth; a wrong one is refused', async () => {
    const slots = (await app.mp.navigateTo('/packageAppointments/pages/slots/index?service=svc_qipao_fitting'))!;
    await slots.waitFor(async () => (await slots.data('status')) === 'ready');
    const days = (await must(slots.$('scroll-view'))) as unknown as {
      scrollTo(x: number, y: number): Promise<void>;
      scrollWidth(): Promise<number>;
      property(name: string): Promise<unknown>;
      callFunction(name: string): Promise<unknown>;
    };
    expect(days).toBeInstanceOf(automator.ScrollViewElement);
    expect(await days.scrollWidth()).toBeGreaterThan(375);
    expect(await days.property('scrollLeft')).toBe(0);
    await days.scrollTo(120, 0);
    expect(await days.property('scrollLeft')).toBe(120);
    await expect(days.callFunction('switch.tap')).rejects.toThrow('switch.tap cannot be called on scroll-view');
    await expect(days.callFunction('scroll-view.fly')).rejects.toThrow('scroll-view.fly not exists');
    await app.mp.navigateBack();
  });
});

describe('MiniProgram', () => {
  test('pageStack, currentPage, navigateTo, redirectTo, navigateBack, reLaunch and switchTab', async () => {
    await home();
    const claim = await app.mp.navigateTo('/packageMember/pages/claim/index');
    expect(claim?.path).toBe('packageMember/pages/claim/index');
    expect((await app.mp.pageStack()).map((p) => p.path)).toEqual([
      'pages/home/index',
      'packageMember/pages/claim/index',
    ]);
    expect((await app.mp.navigateBack())?.path).toBe('pages/home/index');
    expect((await app.mp.switchTab('/pages/coupons/index'))?.path).toBe('pages/coupons/index');
    expect((await app.mp.reLaunch('/pages/home/index'))?.path).toBe('pages/home/index');
    expect((await app.mp.redirectTo('/packageMember/pages/claim/index'))?.path).toBe('packageMember/pages/claim/index');
    expect((await app.mp.pageStack()).map((p) => p.path)).toEqual(['packageMember/pages/claim/index']);
    await app.mp.reLaunch('/pages/home/index');
    await home();
  });

  test('systemInfo, callWxMethod (getStorageInfoSync too), mockWxMethod and restoreWxMethod', async () => {
    expect(await app.mp.systemInfo()).toMatchObject({ screenWidth: 375, platform: 'devtools' });
    await app.mp.callWxMethod('setStorageSync', 'probe', { a: 1 });
    type Info = { keys: string[]; currentSize: number; limitSize: number };
    const info = (await app.mp.callWxMethod('getStorageInfoSync')) as Info;
    expect(info.keys).toContain('probe');
    expect(info.limitSize).toBe(10240);
    await app.mp.callWxMethod('removeStorageSync', 'probe');
    expect(((await app.mp.callWxMethod('getStorageInfoSync')) as { keys: string[] }).keys).not.toContain('probe');
    await expect(app.mp.callWxMethod('noSuchApi')).rejects.toThrow('wx.noSuchApi not exists');
    await app.mp.mockWxMethod('getStorageSync', 'mocked');
    expect(await app.mp.callWxMethod('getStorageSync', 'anything')).toBe('mocked');
    await app.mp.restoreWxMethod('getStorageSync');
    expect(await app.mp.callWxMethod('getStorageSync', 'anything')).toBe('');
  });

  test('evaluate runs in the app; pageScrollTo scrolls the page', async () => {
    expect(await app.mp.evaluate((a: number, b: number) => a + b, 2, 3)).toBe(5);
    await app.mp.pageScrollTo(0);
    expect(await (await home()).scrollTop()).toBe(0);
  });

  test('exposeFunction: the app calls a function of the script (App.addBinding, App.bindingCalled)', async () => {
    const calls: unknown[][] = [];
    await app.mp.exposeFunction('onAppEvent', (...args: unknown[]) => calls.push(args));
    type App = { onAppEvent(...a: unknown[]): void };
    await app.mp.evaluate(() => (globalThis as unknown as App).onAppEvent('joined', { points: 10 }));
    await eventually(async () => expect(calls).toEqual([['joined', { points: 10 }]]));
    await expect(app.mp.exposeFunction('onAppEvent', () => undefined)).rejects.toThrow('already exists');
  });

  test('on("console") receives the app’s console output, on("exception") its uncaught errors', async () => {
    const logs: { type: string; args: unknown[] }[] = [];
    const errors: { message: string }[] = [];
    app.mp.on('console', (m: { type: string; args: unknown[] }) => logs.push(m));
    app.mp.on('exception', (e: { message: string }) => errors.push(e));
    await new Promise((r) => setTimeout(r, 100));
    await app.mp.evaluate(() => {
      console.warn('from the app');
      setTimeout(() => {
        throw new Error('uncaught in the app');
      });
    });
    await eventually(async () => expect(logs).toContainEqual({ type: 'warning', args: ['from the app'] }));
    await eventually(async () => expect(errors.map((e) => e.message)).toContain('uncaught in the app'));
  });

  test('screenshot answers a PNG of the phone; checkVersion accepts the preview', async () => {
    const png = Buffer.from((await app.mp.screenshot()) as string, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    await expect(app.mp.checkVersion()).resolves.toBeUndefined();
  });

  test('calls that need WeChat itself are refused with the reason', async () => {
    await expect(app.mp.testAccounts()).rejects.toThrow('Tool.getTestAccounts is not supported by the preview');
    await expect(app.mp.stopAudits()).rejects.toThrow('Tool.stopAudits is not supported by the preview');
    await expect(app.mp.getTicket()).rejects.toThrow('Tool.getTicket is not supported by the preview');
    await expect(app.mp.setTicket('t')).rejects.toThrow('Tool.setTicket is not supported by the preview');
    await expect(app.mp.refreshTicket()).rejects.toThrow('Tool.refreshTicket is not supported by the preview');
    await expect(app.mp.remote()).rejects.toThrow('Tool.enableRemoteDebug is not supported by the preview');
    await expect(app.mp.native().confirmModal()).rejects.toThrow('Tool.native is not supported by the preview');
    await expect(app.mp.callPluginWxMethod('wx123', 'login')).rejects.toThrow('plugin wx123 not found');
    await expect(app.mp.mockPluginWxMethod('wx123', 'login', {})).rejects.toThrow('plugin wx123 not found');
  });

  test('close ends a connection (App.exit, Tool.close) and the preview serves the next one', async () => {
    const second = await automator.connect({ wsEndpoint: app.h.preview.wsEndpoint });
    await second.close();
    const third = await automator.connect({ wsEndpoint: app.h.preview.wsEndpoint });
    expect((await third.currentPage())?.path).toBe('pages/home/index');
    third.disconnect();
  });
});
