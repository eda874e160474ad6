import { networkDown, ok, refused, type FakeWx } from '../../support/miniprogram/fake-wx';
import { actions, inputOf, memberView, openLoaded, run, settle, setUp, visitorView, type Harness } from './fixtures';

const CLAIM = 'packageMember/pages/claim/index';
const claimed = (already = false) => ok({ memberId: 'm1', card: memberView.card, alreadyClaimed: already });
let h: Harness;
let wx: FakeWx;
beforeEach(() => {
  h = setUp();
  wx = h.wx;
});

async function filledForm() {
  wx.answers.push(ok(visitorView));
  const page = await openLoaded(wx, CLAIM);
  expect(page.data).toMatchObject({ status: 'ready', done: false });
  run(page, 'onName', { detail: { value: '  林小苏 ' } });
  run(page, 'onBirthday', { detail: { value: '1995-03-08' } });
  run(page, 'togglePrivacy');
  return page;
}

describe('claim form', () => {
  test('S2 a complete form sends claimCard with name, birthday, language and the privacy version; marketing off by default', async () => {
    const page = await filledForm();
    wx.answers.push(claimed(), ok(memberView));
    await run(page, 'submit');
    expect(inputOf(wx, 'member.claimCard')).toEqual({
      name: '林小苏',
      birthday: '1995-03-08',
      language: 'zh',
      consents: { privacyVersion: '2026-01', marketingOptIn: false },
    });
    expect(page.data).toMatchObject({ done: true, doneText: '领取成功', cardNoText: '卡号 880000012345' });
    expect(actions(wx)).toEqual(['member.login', 'member.claimCard', 'member.login']); // session refreshed for home
    expect(wx.toasts).toEqual(['领取成功']);
  });

  test('S2 gender, language and marketing opt-in are sent when chosen; avatar is uploaded and nickname saved after the card', async () => {
    const page = await filledForm();
    run(page, 'pickGender', { currentTarget: { dataset: { gender: 'female' } } });
    run(page, 'pickLanguage', { currentTarget: { dataset: { lang: 'en' } } });
    run(page, 'toggleMarketing');
    run(page, 'onChooseAvatar', { detail: { avatarUrl: 'wxfile://tmp/face.jpg' } });
    run(page, 'onNickname', { detail: { value: ' 小苏 ' } });
    wx.answers.push(
      claimed(),
      ok({ nickname: '小苏', avatarUrl: null }),
      ok({ nickname: '小苏', avatarUrl: 'cloud://x' }),
      ok(memberView),
    );
    await run(page, 'submit');
    expect(inputOf(wx, 'member.claimCard')).toMatchObject({
      gender: 'female',
      language: 'en',
      consents: { marketingOptIn: true },
    });
    const updates = wx.calls.filter((c) => c.data.action === 'updateProfile').map((c) => c.data);
    expect(updates[0]).toEqual({ action: 'updateProfile', nickname: '小苏' });
    expect(h.uploads).toEqual([
      { cloudPath: expect.stringMatching(/^avatars\/m1\/\w+\.jpg$/), filePath: 'wxfile://tmp/face.jpg' },
    ]);
    expect(updates[1]).toEqual({ action: 'updateProfile', avatarUrl: `cloud://env.bucket/${h.uploads[0]!.cloudPath}` });
    expect(page.data.done).toBe(true);
  });

  test('missing name, birthday or privacy consent: readable field errors and nothing is sent', async () => {
    wx.answers.push(ok(visitorView));
    const page = await openLoaded(wx, CLAIM);
    await run(page, 'submit');
    expect(page.data.errors).toEqual({ name: '请填写姓名', birthday: '请选择生日', privacy: '请先同意隐私政策' });
    run(page, 'onName', { detail: { value: '   ' } });
    run(page, 'onBirthday', { detail: { value: '1990-01-01' } });
    await run(page, 'submit');
    expect(page.data.errors).toEqual({ name: '请填写姓名', birthday: '', privacy: '请先同意隐私政策' });
    expect(actions(wx)).toEqual(['member.login']);
  });

  test('a refused claim shows the server message and the form stays for another try', async () => {
    const page = await filledForm();
    wx.answers.push(refused('INVALID_INPUT', '生日格式不正确'));
    await run(page, 'submit');
    expect(page.data).toMatchObject({ done: false, submitting: false, submitError: '填写的内容有误，请检查后重试' });
    expect(wx.toasts).toEqual(['填写的内容有误，请检查后重试']);
  });

  test('a network failure shows the friendly network message', async () => {
    const page = await filledForm();
    wx.answers.push(networkDown(), networkDown(), networkDown());
    const sent = run(page, 'submit') as Promise<void>;
    await settle(400);
    await sent;
    expect(page.data.submitError).toBe('网络不太好，请稍后重试');
  });

  test('S2 claiming twice answers with the same card: the page says so', async () => {
    const page = await filledForm();
    wx.answers.push(claimed(true), ok(memberView));
    await run(page, 'submit');
    expect(page.data).toMatchObject({ done: true, doneText: '你已是会员' });
  });

  test('a card holder opening the page sees their card at once, no form', async () => {
    wx.answers.push(ok(memberView));
    const page = await openLoaded(wx, CLAIM);
    expect(page.data).toMatchObject({
      status: 'ready',
      done: true,
      doneText: '你已是会员',
      cardNoText: '卡号 880000012345',
    });
  });

  test('S2 optional phone: the getPhoneNumber code goes to bindPhone and the masked phone shows', async () => {
    wx.answers.push(ok(memberView), ok({ memberId: 'm1', phoneMasked: '138****0000', merged: false }));
    const page = await openLoaded(wx, CLAIM);
    await run(page, 'onPhone', { detail: { code: 'phone-code-1', errMsg: 'getPhoneNumber:ok' } });
    expect(inputOf(wx, 'member.bindPhone')).toEqual({ code: 'phone-code-1' });
    expect(page.data.phoneText).toBe('已绑定 138****0000');
  });

  test('declining the phone sends nothing; a refused code shows the reason', async () => {
    wx.answers.push(ok(memberView), refused('PHONE_CODE_INVALID', '手机号授权已失效'));
    const page = await openLoaded(wx, CLAIM);
    await run(page, 'onPhone', { detail: { errMsg: 'getPhoneNumber:fail user deny' } });
    expect(actions(wx)).toEqual(['member.login']);
    expect(wx.toasts).toEqual(['未授权手机号，可稍后在个人资料中绑定']);
    await run(page, 'onPhone', { detail: { code: 'stale' } });
    expect(wx.toasts[1]).toBe('手机号授权已失效，请重新授权');
    expect(page.data.phoneText).toBe('');
  });

  test('the login failing shows the error state; "view my card" goes to the home tab', async () => {
    wx.answers.push(refused('INTERNAL', '服务繁忙'), ok(memberView));
    const page = await openLoaded(wx, CLAIM);
    expect(page.data).toMatchObject({ status: 'error', message: '服务繁忙，请稍后重试' });
    run(page, 'retry');
    await settle();
    run(page, 'toHome');
    expect(h.switched).toEqual(['/pages/home/index']);
  });

  test('English: the privacy line names the policy version', async () => {
    wx.storage.set('lang', 'en');
    wx.answers.push(ok(visitorView));
    const page = await openLoaded(wx, CLAIM);
    expect(page.data.privacyText).toBe('I have read and agree to the Privacy Policy (2026-01)');
    expect(page.data.form.language).toBe('en');
  });
});
