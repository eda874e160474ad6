import { eventually, usePreview, fresh, type AppPage } from '../../support/preview';

/**
 * Referral (seed 003) as the two people live it, in the real Mini Program against the
 * emulator: Nancy (the member persona) shares her invitation; Lizzy (the friend persona) opens the
 * share card, claims the card; the referral timer rewards both. Screenshots: test-artifacts/miniprogram/.
 */

jest.setTimeout(240_000);

const app = usePreview({ persona: 'member' });

type Page = AppPage;
const INVITE = 'packageReferral/pages/invite/index';
const LANDING = 'packageReferral/pages/landing/index';

const text = async (page: Page, selector: string) =>
  fresh(async () => ((await (await page.$(selector))?.text()) ?? '').replace(/\s+/g, ' ').trim());
const calls = (openid: string, fn: string, action: string) =>
  app.h.emulator.runtime
    .invocations(500)
    .filter((i) => i.openid === openid && i.fn === fn && (i.input as { action?: string }).action === action);

/** Moves the emulator clock past the next referral timer (every 10 minutes; it reads events 10 s behind). */
async function afterReferralTimer(): Promise<void> {
  const res = await fetch(`${app.h.emulator.url}/clock`, { method: 'POST', body: JSON.stringify({ advance: '11m' }) });
  const { fired } = (await res.json()) as { fired: { fn: string; ok: boolean }[] };
  expect(fired.filter((f) => f.fn === 'referral').every((f) => f.ok)).toBe(true);
  expect(fired.some((f) => f.fn === 'referral')).toBe(true);
}

async function openInviteFromMe(): Promise<Page> {
  await app.mp.switchTab('/pages/me/index');
  const me = await app.settled('pages/me/index');
  // a person's click in the frame (a TDesign cell handles taps inside itself, out of automator's tap)
  await app.h.page
    .locator('#pv-body .pv-page:not([hidden])')
    .getByText(String(await me.data('text.me.inviteEntry')), { exact: true })
    .click();
  return app.settled(INVITE);
}

test('S11 referral: Nancy shares, Lizzy opens and joins, both see their voucher', async () => {
  // Nancy, a card member, opens "邀请好友" from the me page
  const invite = await openInviteFromMe();
  expect(await invite.data('status')).toBe('ready');
  expect(await text(invite, '#you-get')).toBe('你得：20 元券 · 满 100 元可用');
  expect(await text(invite, '#friend-gets')).toBe('好友得：20 元券 · 满 100 元可用');
  expect(await text(invite, '#friends-empty .card-title')).toBe('还没有邀请好友');
  expect(await text(invite, '#share')).toBe('分享给微信好友');
  await app.h.screenshot('referral-01-invite-nancy-zh');

  // the poster for Moments: a Mini Program code from WeChat, made on request
  await fresh(async () => (await invite.$('#make-poster'))!.tap());
  await eventually(async () => expect(await invite.data('posterStatus')).toBe('ready'));
  expect(String(await invite.data('posterSrc'))).toMatch(/^data:image\/png;base64,/);
  const poster = app.h.emulator.openapi.list({ apiName: 'wxacode.getUnlimited' });
  expect(poster).toHaveLength(1);
  expect(poster[0]!.params).toMatchObject({ page: LANDING });
  expect(String(poster[0]!.params.scene).length).toBeLessThanOrEqual(32);
  await app.h.screenshot('referral-02-invite-poster-zh');

  // the share card WeChat would send: the landing page with Nancy's signed token
  const card = (await invite.callMethod('onShareAppMessage', { from: 'button' })) as { title: string; path: string };
  expect(card.title).toBe('送你一张 20 元券，来苏韵领取会员卡');
  const [route, query] = card.path.split('?');
  expect(route).toBe(`/${LANDING}`);
  const token = new URLSearchParams(query).get('ref');
  expect(token).toBe(await invite.data('token'));

  // Lizzy opens the card on her phone: who invited her and the gift; the invitation is recorded after her login
  await app.h.relaunch('friend', { path: card.path });
  const landing = await app.settled(LANDING);
  expect(await landing.data()).toMatchObject({ status: 'ready', valid: true, cardHolder: false });
  // the inviter is shown by the nickname she chose (the preview's member has one), else by her masked name
  expect(await text(landing, '#invited-by')).toBe('小满 邀请你加入苏韵');
  expect(await text(landing, '#gift-title')).toBe('送你一张 20 元券');
  expect(await text(landing, '#note')).toBe('已收到 小满 的邀请');
  const [login] = calls('o_preview_friend', 'member', 'login');
  expect(login!.input).toMatchObject({ entryScene: 1007, query: { ref: token } });
  const opens = calls('o_preview_friend', 'referral', 'open');
  expect(opens).toHaveLength(1);
  expect(opens[0]!.result).toMatchObject({ ok: true, data: { recorded: true, reason: null } });
  await app.h.screenshot('referral-03-landing-lizzy-zh');

  // she claims the card from the call to action
  await fresh(async () => (await landing.$('#claim'))!.tap());
  const claim = await app.settled('packageMember/pages/claim/index');
  const name = (await claim.$('#name')) as unknown as { input(v: string): Promise<void> };
  await name.input('丽兹');
  await claim.callMethod('onBirthday', { detail: { value: '1996-09-02' } });
  await fresh(async () => (await claim.$('#privacy'))!.tap());
  await app.h.screenshot('referral-04-claim-lizzy-zh');
  await fresh(async () => (await claim.$('#submit'))!.tap());
  await eventually(async () => expect(await claim.data('done')).toBe(true));
  await app.mp.navigateBack();
  const back = await app.settled(LANDING);
  await eventually(async () => expect(await back.data('cardHolder')).toBe(true));
  expect(await text(back, '#member')).toBe('你已是苏韵会员');
  await app.h.screenshot('referral-05-landing-lizzy-member-zh');

  // the referral timer grants the two vouchers
  await afterReferralTimer();
  await fresh(async () => (await back.$('#to-coupons'))!.tap());
  const lizzyCoupons = await app.settled('pages/coupons/index');
  await eventually(async () => {
    const names = ((await lizzyCoupons.data('items')) as { name: string }[]).map((c) => c.name);
    expect(names).toContain('好友邀请 20 元券');
  });
  await app.h.screenshot('referral-06-coupons-lizzy-zh');

  // Nancy sees Lizzy joined and her reward received, and the voucher in her wallet
  await app.h.relaunch('member');
  const mine = await openInviteFromMe();
  expect(await mine.data('rows')).toEqual([
    expect.objectContaining({
      name: '丽*',
      status: 'joined',
      statusText: '已入会',
      reward: 'granted',
      rewardText: '奖励已到账',
    }),
  ]);
  expect(await text(mine, '#summary')).toBe('已获得 1 张 · 待发放 0 张');
  await app.h.screenshot('referral-07-invite-nancy-rewarded-zh');
  await app.mp.switchTab('/pages/coupons/index');
  const nancyCoupons = await app.settled('pages/coupons/index');
  const nancyNames = ((await nancyCoupons.data('items')) as { name: string }[]).map((c) => c.name);
  expect(nancyNames.filter((n) => n === '好友邀请 20 元券')).toHaveLength(1);
  await app.h.screenshot('referral-08-coupons-nancy-zh');

  // the invite page in English
  await app.h.relaunch('member', { lang: 'en' });
  const en = await openInviteFromMe();
  await eventually(async () =>
    expect(await text(en, '#you-get')).toBe('You get: 20 RMB voucher · on spend of 100 RMB'),
  );
  expect(await text(en, '.page-title')).toBe('Invite friends');
  await app.h.screenshot('referral-09-invite-nancy-en');
});
