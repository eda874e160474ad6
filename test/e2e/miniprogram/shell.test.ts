import { eventually, usePreview, fresh, type AppPage } from '../../support/preview';
import { DEMO_STORE } from '../../../preview/personas';

/**
 * The app shell as a person uses it: the real Mini Program rendered by j-component in Chromium,
 * talking to the emulator, driven by miniprogram-automator (the same calls work against WeChat
 * DevTools). Screenshots go to test-artifacts/miniprogram/.
 */

jest.setTimeout(120_000);

const app = usePreview({ persona: 'visitor' });

type Page = AppPage;

const text = async (page: Page, selector: string) =>
  fresh(async () => ((await (await page.$(selector))?.text()) ?? '').trim());
const tabTexts = () => app.h.page.locator('#pv-tabbar .pv-tab').allTextContents();

test('S1 store QR: a new visitor lands on home in one cloud call and sees the brand and the claim call-to-action', async () => {
  const home = await app.settled('pages/home/index');
  expect(await home.data()).toMatchObject({
    status: 'ready',
    cardHolder: false,
    brandName: '苏韵',
    welcome: '欢迎来到苏韵',
    lang: 'zh',
  });
  expect(await text(home, '.brand-name')).toBe('苏韵');
  expect(await text(home, '#welcome')).toBe('欢迎来到苏韵');
  expect(await text(home, '#claim-cta')).toBe('领取会员卡');

  const calls = app.h.appCalls(100);
  expect(calls).toHaveLength(1);
  const [login] = calls;
  expect(login).toMatchObject({ fn: 'member', openid: 'o_preview_visitor', ok: true });
  expect(login!.input).toMatchObject({ action: 'login', query: { scene: `s=${DEMO_STORE}` } });
  expect((login!.result as { data: { state: string; isNew: boolean } }).data).toMatchObject({
    state: 'visitor',
    isNew: true,
  });
  await app.h.screenshot('01-home-visitor-zh');

  // The brand colour reaches TDesign's button through the page's theme variables.
  const cta = app.h.page.locator('#pv-body wx-button').first();
  expect(await cta.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(140, 47, 57)');

  // S2: the call to action opens the claim form in the member subpackage
  // the home may render again as its extras arrive: a handle taken before that is refused, so query afresh
  await fresh(async () => (await home.$('#claim-cta'))!.tap());
  await eventually(async () => expect((await app.mp.currentPage())?.path).toBe('packageMember/pages/claim/index'));
  await app.h.screenshot('02-claim-form-zh');
  await app.mp.navigateBack();
  await eventually(async () => expect((await app.mp.currentPage())?.path).toBe('pages/home/index'));
});

test('tab navigation: each tab opens its page with the tab bar following, and a visited tab keeps its state', async () => {
  await app.mp.switchTab('/pages/coupons/index');
  const coupons = await app.settled('pages/coupons/index');
  expect(await coupons.data('status')).toBe('empty');
  expect(await text(coupons, '.page-title')).toBe('我的优惠券');
  expect(await app.h.page.locator('#pv-tabbar [aria-selected="true"]').textContent()).toBe('优惠券');
  await app.h.screenshot('03-coupons-zh');

  // A person taps the tab bar itself (drawn by the platform, so outside automator's reach).
  await app.h.page.locator('#pv-tabbar .pv-tab', { hasText: '预约' }).click();
  const bookings = await app.settled('pages/appointments/index');
  expect(await text(bookings, '.page-title')).toBe('我的预约');
  expect((await app.mp.pageStack()).map((p) => p.path)).toEqual(['pages/appointments/index']);
  await app.h.screenshot('04-appointments-zh');

  await app.h.page.locator('#pv-tabbar .pv-tab', { hasText: '首页' }).click();
  const home = await app.settled('pages/home/index');
  expect(await home.data('status')).toBe('ready');
  // Tab pages are kept alive: returning to home costs no new login (the wallet's one list call aside).
  expect(app.h.appCalls(100).filter((i) => (i.input as { action?: string }).action === 'login')).toHaveLength(1);
});

test('language switch on "me" turns the visible text, the tab bar and other tabs to English, and back', async () => {
  await app.mp.switchTab('/pages/me/index');
  const me = await app.settled('pages/me/index');
  expect(await text(me, '.page-title')).toBe('我的');
  expect(await text(me, '#member-state')).toBe('访客');
  await app.h.screenshot('05-me-zh');

  await fresh(async () => (await me.$('#lang-en'))!.tap());
  await eventually(async () => expect(await me.data('lang')).toBe('en'));
  expect(await text(me, '.page-title')).toBe('Me');
  expect(await text(me, '#member-state')).toBe('Visitor');
  expect(await text(me, '#lang-en')).toBe('English');
  expect(await tabTexts()).toEqual(['Home', 'Coupons', 'Bookings', 'Me']);
  expect(await app.mp.callWxMethod('getStorageSync', 'lang')).toBe('en');
  await app.h.screenshot('06-me-en');

  await app.mp.switchTab('/pages/home/index');
  const home = await app.settled('pages/home/index');
  await eventually(async () => expect(await text(home, '#welcome')).toBe('Welcome to Taste of Su'));
  expect(await text(home, '#claim-cta')).toBe('Claim membership card');
  await app.h.screenshot('07-home-visitor-en');

  await app.mp.switchTab('/pages/coupons/index');
  const coupons = await app.settled('pages/coupons/index');
  await eventually(async () => expect(await text(coupons, '.page-title')).toBe('My coupons'));
  await app.h.screenshot('08-coupons-en');

  await app.mp.switchTab('/pages/me/index');
  const meAgain = await app.settled('pages/me/index');
  await fresh(async () => (await meAgain.$('#lang-zh'))!.tap());
  await eventually(async () => expect(await text(meAgain, '.page-title')).toBe('我的'));
  expect(await tabTexts()).toEqual(['首页', '优惠券', '预约', '我的']);
});

test('the nickname typed on "me" is kept on the device and survives a relaunch', async () => {
  const me = await app.settled('pages/me/index');
  const field = await me.$('#nickname');
  await (field as unknown as { input(v: string): Promise<void> }).input('小满');
  await eventually(async () => expect(await me.data('profile.nickname')).toBe('小满'));
  await app.h.relaunch('visitor');
  await app.mp.switchTab('/pages/me/index');
  const again = await app.settled('pages/me/index');
  expect(await again.data('profile.nickname')).toBe('小满');
  expect(await app.h.page.locator('#pv-body .pv-page:not([hidden]) .pv-input').inputValue()).toBe('小满');
});

test('a card holder (member persona) sees the member card instead of the invitation', async () => {
  await app.h.relaunch('member');
  const home = await app.settled('pages/home/index');
  expect(await home.data('cardHolder')).toBe(true);
  expect(await text(home, '#member-card .card-title')).toBe('会员卡');
  expect(await home.$('#claim-cta')).toBeNull();
  // launch is one login, first; the home's extras (what expires, the next booking, picks) follow the card
  const calls = app.h.appCalls(100).filter((i) => i.openid === 'o_preview_member');
  const actionOf = (i: (typeof calls)[number]) => (i.input as { action?: string }).action;
  expect(calls.filter((i) => i.fn === 'member' && actionOf(i) === 'login')).toHaveLength(1);
  const first = [...calls].sort((a, b) => a.at.localeCompare(b.at))[0];
  expect(first && `${first.fn}.${actionOf(first)}`).toBe('member.login');
  await app.h.screenshot('09-home-member-zh');
});
