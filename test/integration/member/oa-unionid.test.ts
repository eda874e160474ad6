import type { Emulator } from '../../../emulator/emulator';
import type { OpenApiCall } from '../../../emulator/openapi';
import { EMULATOR_OA_APP_ID } from '../../../emulator/openapi';
import { as } from '../../support/client';
import type { Sdk } from '../../support/sdk';
import { oaEventXml, oaQuery, demoEmulator } from './helpers';

/**
 * The platform's Official Account callbacks carry no UnionID: the `oa` function asks WeChat
 * (cgi-bin/user/info, here the emulator's fake) with a shared access token, and links with it.
 */
let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  ({ emu, db } = await demoEmulator());
});
afterAll(() => emu.close());

let at = 1777700000;
async function oaEvent(from: string, event: string, key?: string) {
  at += 10;
  const res = await fetch(`${emu.url}/http/oa/callback?${oaQuery()}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: oaEventXml({ from, event, at, ...(key ? { key } : {}) }),
  });
  return { status: res.status, body: await res.text() };
}

const follower = (oaOpenid: string, unionid: string | null, subscribed = true) =>
  fetch(`${emu.url}/openapi/oa-users`, {
    method: 'POST',
    body: JSON.stringify({ oaOpenid, unionid, subscribed }),
  }).then((r) => r.json());

const fault = (body: Record<string, unknown>) =>
  fetch(`${emu.url}/openapi/faults`, { method: 'POST', body: JSON.stringify(body) });

async function calls(since: number, apiName?: string): Promise<OpenApiCall[]> {
  const q = new URLSearchParams({ since: String(since), ...(apiName ? { apiName } : {}) });
  return ((await (await fetch(`${emu.url}/openapi/calls?${q}`)).json()) as { calls: OpenApiCall[] }).calls;
}
/** The fake WeChat HTTP API always answers JSON. */
const json = (c: OpenApiCall) => c.outcome as { errcode: number; response: Record<string, string> };
const lastSeq = async () => (await calls(0)).reduce((m, c) => Math.max(m, c.seq), 0);

const identity = async (id: string) =>
  ((await db.collection('identities').where({ _id: id }).get()).data[0] ?? null) as { memberId: string } | null;
const member = async (id: string) => (await db.collection('members').doc(id).get()).data;
const oaLogs = () => emu.runtime.invocations(20, 'oa').flatMap((i) => i.logs);

test('S3 S12 identity: an OA follower (callback without UnionID) later opens the Mini Program → one member', async () => {
  await follower('oa_ann', 'u_ann');
  const since = await lastSeq();
  expect(await oaEvent('oa_ann', 'subscribe', 'qrscene_s=store_sh_xintiandi')).toEqual({
    status: 200,
    body: 'success',
  });

  const info = await calls(since, 'cgi-bin/user/info');
  expect(info.map((c) => [c.openid, c.outcome])).toEqual([
    [
      'oa_ann',
      expect.objectContaining({ errcode: 0, response: expect.objectContaining({ unionid: 'u_ann', subscribe: 1 }) }),
    ],
  ]);
  const byOa = await identity('oa_openid:oa_ann');
  expect(await identity('unionid:u_ann')).toMatchObject({ memberId: byOa!.memberId });
  expect(await member(byOa!.memberId)).toMatchObject({
    state: 'follower',
    oaFollowing: true,
    unionid: 'u_ann',
    oaOpenid: 'oa_ann',
  });

  const mp = await as(emu, 'o_ann', { unionid: 'u_ann' }).ok('member', 'login', {});
  expect(mp).toMatchObject({ memberId: byOa!.memberId, state: 'follower', isNew: false });
  const ids = (await db.collection('identities').where({ memberId: byOa!.memberId }).get()).data
    .map((i: { _id: string }) => i._id)
    .sort();
  expect(ids).toEqual(['mp_openid:o_ann', 'oa_openid:oa_ann', 'unionid:u_ann']);
  expect((await db.collection('members').where({ unionid: 'u_ann' }).count()).total).toBe(1);
  expect((await db.collection('events').where({ memberId: byOa!.memberId, type: 'oa.subscribed' }).count()).total).toBe(
    1,
  );
});

test('S3 S12 identity: a Mini Program member who then follows the OA stays one member (the follow event lands on them)', async () => {
  const mp = await as(emu, 'o_bo', { unionid: 'u_bo' }).ok('member', 'login', {});
  await follower('oa_bo', 'u_bo');
  expect((await oaEvent('oa_bo', 'subscribe')).body).toBe('success');
  expect(await identity('oa_openid:oa_bo')).toMatchObject({ memberId: mp.memberId });
  expect(await member(mp.memberId)).toMatchObject({ oaOpenid: 'oa_bo', oaFollowing: true });
  expect((await db.collection('events').where({ memberId: mp.memberId, type: 'oa.subscribed' }).count()).total).toBe(1);
  expect((await db.collection('members').where({ oaOpenid: 'oa_bo' }).count()).total).toBe(1);
});

test('the access token is fetched once for concurrent callbacks of several instances, cached in oa_tokens, and followers already linked are not asked again', async () => {
  await db.collection('oa_tokens').doc(EMULATOR_OA_APP_ID).remove();
  const fans = ['oa_c1', 'oa_c2', 'oa_c3', 'oa_c4'];
  for (const f of fans) await follower(f, `u_${f}`);
  const since = await lastSeq();
  const answers = await Promise.all(fans.map((f) => oaEvent(f, 'subscribe')));
  expect(answers.map((a) => a.body)).toEqual(fans.map(() => 'success'));

  const tokenCalls = await calls(since, 'cgi-bin/token');
  expect(tokenCalls).toHaveLength(1);
  const issued = json(tokenCalls[0]!).response.access_token;
  expect(tokenCalls[0]!.params).toMatchObject({
    grant_type: 'client_credential',
    appid: EMULATOR_OA_APP_ID,
    secret: '***',
  });
  const info = await calls(since, 'cgi-bin/user/info');
  expect(info.map((c) => c.openid).sort()).toEqual(fans);
  expect(info.every((c) => c.params.access_token === issued)).toBe(true);
  for (const f of fans)
    expect((await identity(`unionid:u_${f}`))?.memberId).toBe((await identity(`oa_openid:${f}`))?.memberId);

  const cached = (await db.collection('oa_tokens').doc(EMULATOR_OA_APP_ID).get()).data;
  expect(cached).toMatchObject({ accessToken: issued, leaseHolder: null, leaseUntil: null });
  const now = new Date(((await (await fetch(`${emu.url}/clock`)).json()) as { now: string }).now).getTime();
  expect(new Date(cached.expiresAt).getTime() - now).toBeGreaterThan(7000_000);

  const later = await lastSeq();
  await oaEvent('oa_c1', 'CLICK', 'MENU_CARD');
  await oaEvent('oa_c2', 'VIEW', 'https://example.com/');
  expect(await calls(later)).toEqual([]);
});

test('a cached token within five minutes of its expiry is refreshed before use', async () => {
  const now = new Date(((await (await fetch(`${emu.url}/clock`)).json()) as { now: string }).now);
  const before = (await db.collection('oa_tokens').doc(EMULATOR_OA_APP_ID).get()).data;
  await db
    .collection('oa_tokens')
    .doc(EMULATOR_OA_APP_ID)
    .update({ data: { expiresAt: new Date(now.getTime() + 4 * 60_000) } });
  await follower('oa_dee', 'u_dee');
  const since = await lastSeq();
  expect((await oaEvent('oa_dee', 'subscribe')).body).toBe('success');
  expect(await calls(since, 'cgi-bin/token')).toHaveLength(1);
  const after = (await db.collection('oa_tokens').doc(EMULATOR_OA_APP_ID).get()).data;
  expect(after.accessToken).not.toBe(before.accessToken);
  expect((await calls(since, 'cgi-bin/user/info'))[0]!.params.access_token).toBe(after.accessToken);
  expect(await identity('unionid:u_dee')).toMatchObject({ memberId: (await identity('oa_openid:oa_dee'))!.memberId });
});

test('a token WeChat refuses (40001 once) is refreshed and user/info asked once more', async () => {
  await follower('oa_eve', 'u_eve');
  await fault({ apiName: 'cgi-bin/user/info', errcode: 40001, times: 1 });
  const since = await lastSeq();
  expect((await oaEvent('oa_eve', 'subscribe')).body).toBe('success');
  const info = await calls(since, 'cgi-bin/user/info');
  expect(info.map((c) => json(c).errcode)).toEqual([40001, 0]);
  expect(await calls(since, 'cgi-bin/token')).toHaveLength(1);
  expect(info[1]!.params.access_token).not.toBe(info[0]!.params.access_token);
  expect(await identity('unionid:u_eve')).toMatchObject({ memberId: (await identity('oa_openid:oa_eve'))!.memberId });
});

test('S12 user/info failing: the event is still kept on a follower-only record, the callback answers success, and the next event links once WeChat answers', async () => {
  await follower('oa_fay', 'u_fay');
  await fault({ apiName: 'cgi-bin/user/info', errcode: 45009, times: 1 });
  expect(await oaEvent('oa_fay', 'subscribe')).toEqual({ status: 200, body: 'success' });
  const byOa = await identity('oa_openid:oa_fay');
  expect(byOa).not.toBeNull();
  expect(await identity('unionid:u_fay')).toBeNull();
  const m = await member(byOa!.memberId);
  expect(m).toMatchObject({ state: 'follower', oaOpenid: 'oa_fay', oaFollowing: true });
  expect(m.unionid).toBeUndefined();
  expect((await db.collection('events').where({ memberId: byOa!.memberId, type: 'oa.subscribed' }).count()).total).toBe(
    1,
  );
  expect(
    oaLogs().some((l) => l.includes('unionid lookup failed') && l.includes('OA_API_FAILED') && l.includes('45009')),
  ).toBe(true);

  expect((await oaEvent('oa_fay', 'CLICK', 'MENU_CARD')).body).toBe('success');
  expect(await identity('unionid:u_fay')).toMatchObject({ memberId: byOa!.memberId });
  expect(await member(byOa!.memberId)).toMatchObject({ unionid: 'u_fay' });
  const mp = await as(emu, 'o_fay', { unionid: 'u_fay' }).ok('member', 'login', {});
  expect(mp.memberId).toBe(byOa!.memberId);
  expect(
    (await db.collection('events').where({ memberId: byOa!.memberId, type: 'oa.menu_clicked' }).count()).total,
  ).toBe(1);
});

test('token refused (40164 IP not whitelisted) or WeChat too slow: the callback still answers success well within 5 s and keeps the event', async () => {
  await follower('oa_gus', 'u_gus');
  await db.collection('oa_tokens').doc(EMULATOR_OA_APP_ID).remove();
  await fault({ apiName: 'cgi-bin/token', errcode: 40164, times: 1 });
  expect(await oaEvent('oa_gus', 'subscribe')).toEqual({ status: 200, body: 'success' });
  expect(oaLogs().some((l) => l.includes('40164'))).toBe(true);
  expect(await identity('unionid:u_gus')).toBeNull();

  await fault({ apiName: 'cgi-bin/user/info', delayMs: 4000, times: 1 });
  const started = Date.now();
  expect(await oaEvent('oa_gus', 'CLICK', 'MENU_CARD')).toEqual({ status: 200, body: 'success' });
  expect(Date.now() - started).toBeLessThan(4000);
  const byOa = await identity('oa_openid:oa_gus');
  const kept = (await db.collection('events').where({ memberId: byOa!.memberId }).get()).data
    .map((e: { type: string }) => e.type)
    .filter((t: string) => t.startsWith('oa.'));
  expect(kept.sort()).toEqual(['oa.menu_clicked', 'oa.subscribed']);
  expect(await identity('unionid:u_gus')).toBeNull();

  // the failed refresh released its lease: the next event gets a token and links at once
  expect((await oaEvent('oa_gus', 'VIEW', 'https://example.com/')).body).toBe('success');
  expect(await identity('unionid:u_gus')).toMatchObject({ memberId: byOa!.memberId });
});

test('a follower WeChat does not know (40003) or whose OA is not bound to the Open Platform (no unionid) stays follower-only', async () => {
  await follower('oa_hal', null);
  expect((await oaEvent('oa_hal', 'subscribe')).body).toBe('success');
  expect((await oaEvent('oa_stranger', 'subscribe')).body).toBe('success');
  for (const f of ['oa_hal', 'oa_stranger']) {
    const m = await member((await identity(`oa_openid:${f}`))!.memberId);
    expect(m).toMatchObject({ state: 'follower', oaOpenid: f });
    expect(m.unionid).toBeUndefined();
  }
  const listed = (await (await fetch(`${emu.url}/openapi/oa-users`)).json()) as {
    users: { oaOpenid: string; unionid: string | null }[];
  };
  expect(listed.users).toEqual(expect.arrayContaining([{ oaOpenid: 'oa_hal', unionid: null, subscribed: true }]));
});
