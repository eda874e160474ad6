import fc from 'fast-check';
import { contracts } from '../../core/contracts';
import { cloud, resetApp, sessions } from '../support/miniprogram/app-modules';
import { installFakeWx, networkDown, ok, refused, type FakeWx } from '../support/miniprogram/fake-wx';

const view = {
  memberId: 'm1',
  state: 'visitor',
  firstSeenAt: '2026-05-01T02:00:00.000Z',
  lastSeenAt: '2026-05-01T02:00:00.000Z',
  isNew: true,
};
let wx: FakeWx;
beforeEach(() => {
  wx = installFakeWx();
  resetApp();
});

describe('cloud.call', () => {
  test('sends the action beside its input to the named function and returns the envelope data', async () => {
    wx.answers.push(ok(view));
    await expect(cloud().call('member', 'login', { scene: '1011' })).resolves.toEqual(view);
    expect(wx.calls).toEqual([{ name: 'member', data: { action: 'login', scene: '1011' } }]);
  });

  test('a refused action becomes a ServiceError with the server code, and is not retried', async () => {
    wx.answers.push(refused('INVALID_INPUT', '参数错误'));
    const err = await cloud()
      .call('member', 'login', {})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(cloud().ServiceError);
    expect(err).toMatchObject({ code: 'INVALID_INPUT', message: '参数错误' });
    expect(wx.calls).toHaveLength(1);
  });

  test('network failures are retried twice, then succeed', async () => {
    wx.answers.push(networkDown(), networkDown(), ok(view));
    await expect(cloud().call('member', 'login', {}, { backoffMs: 1 })).resolves.toEqual(view);
    expect(wx.calls).toHaveLength(3);
  });

  test('a third network failure gives NETWORK_ERROR', async () => {
    wx.answers.push(networkDown(), networkDown(), networkDown(), ok(view));
    await expect(cloud().call('member', 'login', {}, { backoffMs: 1 })).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
    });
    expect(wx.calls).toHaveLength(3);
  });

  test('a platform failure that is not the network is not retried', async () => {
    wx.answers.push({ fail: { errCode: -404011, errMsg: 'cloud.callFunction:fail cloud function execution error' } });
    await expect(cloud().call('member', 'login', {}, { backoffMs: 1 })).rejects.toMatchObject({ code: 'CALL_FAILED' });
    expect(wx.calls).toHaveLength(1);
  });

  test('an answer that is not an envelope is a BAD_RESPONSE', async () => {
    wx.answers.push({ result: 'oops' });
    await expect(cloud().call('member', 'login', {})).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  test('network failures are recognised by errCode -1 or a timeout/network message', () => {
    const { isNetworkFailure } = cloud();
    expect(isNetworkFailure({ errCode: -1, errMsg: 'system error' })).toBe(true);
    expect(isNetworkFailure({ errMsg: 'request:fail timeout' })).toBe(true);
    expect(isNetworkFailure({ errMsg: 'Network Error' })).toBe(true);
    expect(isNetworkFailure({ errCode: -404011, errMsg: 'function not found' })).toBe(false);
    expect(isNetworkFailure(undefined)).toBe(false);
  });
});

describe('session', () => {
  test('S1 launch: the launch login is the one cloud call, however many pages await it', async () => {
    wx.answers.push(ok(view));
    const launch = sessions().startSession({ scene: 1047, path: 'pages/home/index', query: { scene: 'store=12' } });
    const pages = await Promise.all([sessions().session(), sessions().session(), sessions().session()]);
    expect(await launch).toEqual(view);
    expect(pages).toEqual([view, view, view]);
    expect(cloud().callsMade()).toBe(1);
    expect(wx.calls[0]!.data).toEqual({
      action: 'login',
      entryScene: 1047,
      scene: 'store=12',
      path: 'pages/home/index',
      query: { scene: 'store=12' },
    });
  });

  test('a failed launch login is tried again by the next page that asks', async () => {
    wx.answers.push(refused('INTERNAL', 'boom'), ok(view));
    await expect(sessions().startSession({})).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(sessions().session()).resolves.toEqual(view);
    expect(wx.calls).toHaveLength(2);
  });

  test('refreshSession makes a new login call even when one succeeded', async () => {
    wx.answers.push(ok(view), ok({ ...view, state: 'member' }));
    await sessions().session();
    await expect(sessions().refreshSession()).resolves.toMatchObject({ state: 'member' });
    expect(wx.calls).toHaveLength(2);
  });

  test('S1 scene garbage: any launch options become input the login contract accepts', () => {
    const launch = fc.record(
      {
        scene: fc.oneof(fc.integer(), fc.string({ maxLength: 200 })),
        path: fc.string({ maxLength: 600 }),
        query: fc.dictionary(
          fc.string(),
          fc.oneof(fc.string({ maxLength: 50 }), fc.integer(), fc.constant(null), fc.object()),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(launch, (l) => {
        expect(contracts.member.login.input.safeParse(sessions().loginInput(l)).success).toBe(true);
      }),
    );
  });
});
