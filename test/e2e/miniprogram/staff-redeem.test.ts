import { element, eventually, usePreview, fresh, type AppPage } from '../../support/preview';

/**
 * S7 coupon redemption in store (S10, S21) in the browser preview against the emulator: a member
 * claims a coupon in the claim centre and shows its code; an advisor opens the staff hub from Me,
 * scans the code (`wx.scanCode` answered by automator), confirms, and the coupon is redeemed; the
 * member's wallet then lists it as used. Screenshots go to test-artifacts/miniprogram/.
 */

jest.setTimeout(180_000);

const TEMPLATE = 'tpl_spring_50'; // demo brand: 50 off a 500 RMB spend, in the claim centre

const app = usePreview({ persona: 'member' });

type Page = AppPage;
const text = async (page: Page, selector: string) =>
  fresh(async () => ((await (await page.$(selector))?.text()) ?? '').trim());
const redeemCalls = () =>
  app.h.emulator.runtime
    .invocations(200)
    .filter((i) => i.fn === 'coupons' && (i.input as { action?: string }).action === 'redeem');

test('S7 coupon: a member claims a coupon, staff scans it and redeems it', async () => {
  // The member claims the coupon in the claim centre, from the wallet.
  await app.mp.switchTab('/pages/coupons/index');
  const emptyWallet = await app.settled('pages/coupons/index');
  await fresh(async () => (await element(emptyWallet, '#open-centre')).tap());
  const centre = await app.settled('packageMember/pages/claim-centre/index');
  expect(await centre.data('status')).toBe('ready');
  await element(centre, `#offer-${TEMPLATE}`);
  // the offer's claim button has no id of its own (selectors here reach ids and classes): call its handler as the tap does
  await centre.callMethod('claim', { currentTarget: { dataset: { id: TEMPLATE } } });
  await eventually(async () => {
    const items = (await centre.data('items')) as { templateId: string; claimable: boolean }[];
    expect(items.find((o) => o.templateId === TEMPLATE)?.claimable).toBe(false); // one per member: claimed
  });
  await app.h.screenshot('s7-01-member-claimed');

  // The member opens the coupon from the wallet and shows its code.
  await app.mp.navigateBack();
  const wallet = await app.settled('pages/coupons/index');
  await eventually(async () => expect(((await wallet.data('items')) as unknown[]).length).toBe(1));
  await fresh(async () => (await element(wallet, '.coupon')).tap());
  const detail = await app.settled('packageMember/pages/coupon/index');
  expect(await detail.data('status')).toBe('ready');
  const shownCode = await text(detail, '#code');
  expect(shownCode).toMatch(/^[0-9A-Z]{4} [0-9A-Z]{4} [0-9A-Z]{4}$/);
  expect(await text(detail, '#coupon-status')).toBe('可使用');
  await app.h.screenshot('s7-02-member-coupon-code');

  // An advisor of the store opens the staff hub from Me (shown to staff only), then the scan page.
  await app.h.relaunch('staff');
  const me = await app.settled('pages/me/index');
  expect(await me.data('staff')).toBe(true);
  // a person's click in the frame (a TDesign cell handles taps inside itself, out of automator's tap)
  await app.h.page
    .locator('#pv-body .pv-page:not([hidden])')
    .getByText(String(await me.data('text.me.staffEntry')), { exact: true })
    .click();
  const hub = await app.settled('packageAdmin/pages/index/index');
  expect(await hub.data('staff')).toBe(true);
  expect(await text(hub, '#staff-role')).toBe('顾问');
  expect(await text(hub, '#staff-stores')).toBe('门店：上海新天地店');
  await app.h.screenshot('s7-03-staff-hub');
  await fresh(async () => (await element(hub, '#entry-scan')).tap());
  const scan = await app.settled('packageAdmin/pages/scan/index');
  expect(await scan.data('status')).toBe('ready');

  // The camera reads the member's code; the advisor enters the order amount and confirms.
  await app.mp.mockWxMethod('scanCode', {
    result: shownCode,
    scanType: 'BAR_CODE',
    charSet: 'utf-8',
    errMsg: 'scanCode:ok',
  });
  await app.mp.mockWxMethod('showModal', { confirm: true, cancel: false, errMsg: 'showModal:ok' });
  await fresh(async () => (await element(scan, '#scan-button')).tap());
  await eventually(async () => expect(await scan.data('pending.display')).toBe(shownCode));
  const amount = (await element(scan, '#order-amount')) as unknown as { input(v: string): Promise<void> };
  await amount.input('600');
  await eventually(async () => expect(await scan.data('amount')).toBe('600'));
  await app.h.screenshot('s7-04-staff-scanned');
  expect(redeemCalls()).toHaveLength(0); // nothing is redeemed before the confirmation
  await fresh(async () => (await element(scan, '#redeem-button')).tap());
  await eventually(async () => expect(await text(scan, '#result-status')).toBe('已核销'));
  expect(await scan.data('result.lines')).toEqual(expect.arrayContaining(['优惠 ¥50.00', '应付 ¥550.00']));
  await app.h.screenshot('s7-05-staff-redeemed');
  const [redeem] = redeemCalls();
  expect(redeem).toMatchObject({ openid: 'o_demo_advisor', ok: true });
  expect(redeem!.input).toMatchObject({
    code: shownCode.replace(/ /g, ''),
    storeId: 'store_sh_xintiandi',
    orderAmountFen: 60000,
  });
  await app.mp.restoreWxMethod('scanCode');
  await app.mp.restoreWxMethod('showModal');

  // Back as the member: the coupon is used.
  await app.h.relaunch('member');
  await app.mp.switchTab('/pages/coupons/index');
  const after = await app.settled('pages/coupons/index');
  await fresh(async () => (await element(after, '#tab-used')).tap());
  await eventually(async () => {
    const items = (await after.data('items')) as { status: string }[];
    expect(items.map((c) => c.status)).toEqual(['used']);
  });
  await app.h.screenshot('s7-06-member-coupon-used');
});
