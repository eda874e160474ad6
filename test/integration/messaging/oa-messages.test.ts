import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { addMember, addStaff, advance, calls, fault, messagingEmulator, outboxOf } from './support';
import type { Sdk } from '../../support/sdk';

/**
 * Official Account messages go to the OA's own HTTP API (`cgi-bin/message/template/send`, `…/custom/send`) with the
 * access token shared through `oa_tokens`, not through the Mini Program's cloud.openapi: one
 * token fetch serves a whole dispatcher run, and a token WeChat refuses is refreshed once.
 */
let emu: Emulator;
let db: Sdk['db'];
let admin: ReturnType<typeof as>;
const follower = (tag: string, oaOpenid: string) => ({ oaOpenid, oaFollowing: true, tags: [tag] });
const notice = {
  channel: 'oa_template' as const,
  template: 'service_notice',
  purpose: 'transactional' as const,
  data: { title: '服务通知', body: '门店营业时间调整' },
};

async function campaign(id: string, tag: string): Promise<void> {
  await admin.ok('messaging', 'segments.save', { id, name: id, rule: { field: 'tags', op: 'hasAny', values: [tag] } });
  await admin.ok('messaging', 'campaigns.send', { id, name: id, segmentId: id, message: notice });
  await advance(emu, '1m');
}

const setFollower = (oaOpenid: string, subscribed: boolean) =>
  fetch(`${emu.url}/openapi/oa-users`, {
    method: 'POST',
    body: JSON.stringify({ oaOpenid, unionid: null, subscribed }),
  });

beforeAll(async () => {
  ({ emu, db } = await messagingEmulator());
  admin = as(emu, await addStaff(db));
});
afterAll(() => emu.close());

test('S15 OA template messages: sent through the Official Account API, one access token for the run', async () => {
  for (let i = 0; i < 5; i++) await addMember(db, follower('oa-run', `oa_run_${i}`));
  await campaign('oa-run', 'oa-run');

  const sent = await calls(emu, 'cgi-bin/message/template/send');
  expect(sent.map((c) => c.openid).sort()).toEqual(['oa_run_0', 'oa_run_1', 'oa_run_2', 'oa_run_3', 'oa_run_4']);
  expect(
    sent.every(
      (c) =>
        c.outcome.errcode === 0 &&
        c.params['template_id'] === 'service_notice' &&
        String(c.params['client_msg_id']).startsWith('campaign:oa-run:'),
    ),
  ).toBe(true);
  expect(await calls(emu, 'cgi-bin/token')).toHaveLength(1);
  expect((await outboxOf(db, { campaignId: 'oa-run' })).map((r) => r['state'])).toEqual(Array(5).fill('sent'));
});

test('S15 OA template messages: a token WeChat refuses is refreshed once and every message still goes out', async () => {
  for (let i = 0; i < 4; i++) await addMember(db, follower('oa-refused', `oa_refused_${i}`));
  const tokensBefore = (await calls(emu, 'cgi-bin/token')).length;
  await fault(emu, { apiName: 'cgi-bin/message/template/send', errcode: 40001, times: 4 });
  await campaign('oa-refused', 'oa-refused');

  const byUser = (await calls(emu, 'cgi-bin/message/template/send')).filter((c) => c.openid.startsWith('oa_refused_'));
  expect(byUser.filter((c) => c.outcome.errcode === 40001)).toHaveLength(4);
  expect(
    byUser
      .filter((c) => c.outcome.errcode === 0)
      .map((c) => c.openid)
      .sort(),
  ).toEqual(['oa_refused_0', 'oa_refused_1', 'oa_refused_2', 'oa_refused_3']);
  expect((await calls(emu, 'cgi-bin/token')).length - tokensBefore).toBe(1);
  expect((await outboxOf(db, { campaignId: 'oa-refused' })).map((r) => r['state'])).toEqual(Array(4).fill('sent'));
});

test('S15 OA template messages: someone who unfollowed is refused by WeChat (43004) and not retried', async () => {
  await addMember(db, follower('oa-gone', 'oa_gone'));
  await setFollower('oa_gone', false);
  await campaign('oa-gone', 'oa-gone');

  expect((await calls(emu, 'cgi-bin/message/template/send', 'oa_gone')).map((c) => c.outcome.errcode)).toEqual([43004]);
  expect(await outboxOf(db, { campaignId: 'oa-gone' })).toEqual([
    expect.objectContaining({ state: 'failed', reason: 'not_following' }),
  ]);
  await advance(emu, '10m');
  expect(await calls(emu, 'cgi-bin/message/template/send', 'oa_gone')).toHaveLength(1);
});

test('the fake OA API refuses a message without a valid access token, and a body that is not JSON', async () => {
  const post = (query: string, body: string) =>
    fetch(`${emu.url}/wechat-api/cgi-bin/message/custom/send${query}`, { method: 'POST', body }).then((r) => r.json());
  const text = JSON.stringify({ touser: 'oa_x', msgtype: 'text', text: { content: '您好' } });
  expect(await post('', text)).toMatchObject({ errcode: 41001 });
  expect(await post('?access_token=made_up', text)).toMatchObject({ errcode: 40001 });
  expect(await post('?access_token=made_up', '{not json')).toMatchObject({ errcode: 47001 });
  expect(await fetch(`${emu.url}/wechat-api/cgi-bin/message/custom/send`).then((r) => r.status)).toBe(404);
});
