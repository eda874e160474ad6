import jsQR from 'jsqr';
import { BinaryBitmap, Code128Reader, HybridBinarizer, RGBLuminanceSource } from '@zxing/library';
import { as } from '../../support/client';
import { eventually, usePreview, fresh, type AppPage } from '../../support/preview';

/**
 * S2 / S7 / S10 / S21 scannable codes: the member code and a coupon code as the pages draw them at
 * 375 px, read back from the screen by decoders that share nothing with the encoders (jsQR for the
 * QR codes, ZXing's Code 128 reader for the bar codes); each decoded value then goes through the
 * staff scan page (`wx.scanCode` answered with what the decoder read) and must find the same member
 * and redeem that coupon.
 */

// pngjs has no types of its own
interface Png {
  width: number;
  height: number;
  data: Buffer;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- pngjs ships no typings; the shape used is declared here
const { PNG } = require('pngjs') as { PNG: { sync: { read(b: Buffer): Png } } };

jest.setTimeout(240_000);

const TEMPLATE = 'tpl_spring_50';
const MEMBER_OPENID = 'o_preview_member';

const app = usePreview({ persona: 'member' });

type Page = AppPage;

/** The visible page's canvases, as the screen shows them (a PNG of each element, at the device pixel ratio). */
async function canvasShot(index: number): Promise<Png> {
  const canvas = app.h.page.locator('#pv-body .pv-page:not([hidden]) canvas.pv-canvas').nth(index);
  await canvas.scrollIntoViewIfNeeded();
  return PNG.sync.read(await canvas.screenshot());
}

const inked = (png: Png): number => {
  let dark = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! < 100) dark++;
  return dark;
};

async function readQr(index: number): Promise<string> {
  return eventually(async () => {
    const png = await canvasShot(index);
    const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(found?.data).toBeTruthy();
    return found!.data;
  });
}

async function readCode128(index: number): Promise<string> {
  return eventually(async () => {
    const png = await canvasShot(index);
    expect(inked(png)).toBeGreaterThan(0);
    const grey = new Uint8ClampedArray(png.width * png.height);
    for (let p = 0; p < grey.length; p++)
      grey[p] = Math.round((png.data[4 * p]! + png.data[4 * p + 1]! + png.data[4 * p + 2]!) / 3);
    const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(grey, png.width, png.height)));
    return new Code128Reader().decode(bitmap, new Map()).getText();
  });
}

/** Opens the staff scan page as the advisor of the demo store. */
async function staffScanPage(): Promise<Page> {
  await app.h.relaunch('staff');
  await app.settled('pages/me/index', { status: 'ready', timeoutMs: 20_000 });
  await app.mp.navigateTo('/packageAdmin/pages/scan/index');
  return app.settled('packageAdmin/pages/scan/index', { status: 'ready', timeoutMs: 20_000 });
}

async function scan(page: Page, result: string): Promise<void> {
  await app.mp.mockWxMethod('scanCode', { result, scanType: 'QR_CODE', charSet: 'utf-8', errMsg: 'scanCode:ok' });
  await fresh(async () => (await page.$('#scan-button'))!.tap());
}

/** Calls of one action, oldest first. */
const invocations = (fn: string, action: string) =>
  app.h.emulator.runtime
    .invocations(500)
    .filter((i) => i.fn === fn && (i.input as { action?: string }).action === action)
    .reverse();

test('S2 member code: the QR code and the bar code on the card decode to codes that staff resolve to the member', async () => {
  const home = await app.settled('pages/home/index', { status: 'ready', timeoutMs: 20_000 });
  expect(await home.data('cardHolder')).toBe(true);
  await fresh(async () => (await home.$('#code-toggle'))!.tap());
  await eventually(async () => expect(await home.data('codeStatus')).toBe('ready'));
  await app.h.screenshot('codes-01-member-code');
  // the code rotates every minute: what the page holds and what the screen shows are read together
  const { fromQr, fromBars } = await eventually(async () => {
    const [code, shortCode] = [String(await home.data('code')), String(await home.data('shortCode'))];
    const decoded = { fromQr: await readQr(0), fromBars: await readCode128(1) };
    expect(decoded).toEqual({ fromQr: code, fromBars: shortCode });
    // the number printed under the codes is the bar code's, grouped for reading out
    const printed = ((await (await home.$('#code-text'))!.text()) ?? '').trim();
    expect(printed).toMatch(/^\d{4}( \d{1,4})+$/);
    expect(printed.replace(/\s+/g, '')).toBe(decoded.fromBars);
    return decoded;
  }, 20_000);
  expect(fromQr).toMatch(/^M1\./);
  const memberId = (await as(app.h.emulator, MEMBER_OPENID).ok('member', 'login', {})).memberId;

  const scanPage = await staffScanPage();
  for (const decoded of [fromQr, fromBars]) {
    await scan(scanPage, decoded);
    await app.settled('packageAdmin/pages/member/index', { status: 'ready', timeoutMs: 20_000 });
    await app.mp.navigateBack();
    await app.settled('packageAdmin/pages/scan/index', { status: 'ready', timeoutMs: 20_000 });
  }
  await app.mp.restoreWxMethod('scanCode');
  const resolved = invocations('member', 'resolveMemberCode');
  expect(resolved.map((i) => (i.input as { code: string }).code)).toEqual([fromQr, fromBars]);
  expect(resolved.map((i) => (i.result as { ok: boolean; data: { memberId: string } }).data.memberId)).toEqual([
    memberId,
    memberId,
  ]);
});

test("S7 coupon code: the coupon page's QR code and bar code decode to the code, and staff redeem that coupon", async () => {
  await app.h.relaunch('member');
  await app.settled('pages/home/index', { status: 'ready', timeoutMs: 20_000 });
  const { coupon } = await as(app.h.emulator, MEMBER_OPENID).ok('coupons', 'claim', {
    templateId: TEMPLATE,
    requestId: 'req-scan-codes-1',
  });
  await app.mp.navigateTo(`/packageMember/pages/coupon/index?id=${coupon.couponId}`);
  const page = await app.settled('packageMember/pages/coupon/index', { status: 'ready', timeoutMs: 20_000 });
  const shown = String(await page.data('scanValue'));
  await app.h.screenshot('codes-02-coupon-code');

  const fromQr = await readQr(0);
  const fromBars = await readCode128(1);
  expect(fromQr).toBe(shown);
  expect(fromBars).toBe(shown);

  const scanPage = await staffScanPage();
  await scan(scanPage, fromBars);
  await eventually(async () => expect(await scanPage.data('pending.code')).toBe(fromBars));
  await scan(scanPage, fromQr);
  await eventually(async () => expect(await scanPage.data('pending.code')).toBe(fromQr));
  const amount = (await scanPage.$('#order-amount')) as unknown as { input(v: string): Promise<void> };
  await amount.input('600'); // the demo template takes 50 off a 500 spend
  await eventually(async () => expect(await scanPage.data('amount')).toBe('600'));
  await app.mp.mockWxMethod('showModal', { confirm: true, cancel: false, errMsg: 'showModal:ok' });
  await fresh(async () => (await scanPage.$('#redeem-button'))!.tap());
  await eventually(async () =>
    expect(((await (await scanPage.$('#result-status'))!.text()) ?? '').trim()).toBe('已核销'),
  );
  await app.mp.restoreWxMethod('scanCode');
  await app.mp.restoreWxMethod('showModal');
  await app.h.screenshot('codes-03-coupon-redeemed');

  const [redeem] = invocations('coupons', 'redeem');
  expect(redeem).toMatchObject({ openid: 'o_demo_advisor', ok: true });
  expect((redeem!.input as { code: string }).code).toBe(fromQr);
  const after = await as(app.h.emulator, MEMBER_OPENID).ok('coupons', 'detail', { couponId: coupon.couponId });
  expect(after.status).toBe('used');
});
