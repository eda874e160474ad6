import type { Emulator } from '../../../emulator/emulator';
import { EVENT_CATALOGUE, isEventType } from '../../../core/events';
import { as } from '../../support/client';
import { advance, calls, MORNING, now, seedJourneys } from '../messaging/support';
import { seedStaffAndStores, STAFF } from '../admin/support';
import { eventXml, oaPost, registerFollower, surveyEmulator, textXml } from './support';
import type { Sdk } from '../../support/sdk';

/**
 * Seed 002's follower survey, finished by the follower (S17): asked on follow through the Official
 * Account, answered by a text reply or on the Mini Program survey page; the completion stops the
 * retry at 24 hours and tags the answers (seed 004). The brand's journeys and staff are fixtures.
 */
let emu: Emulator;
let db: Sdk['db'];

const texts = async (oa: string) => {
  const sent = await calls(emu, 'cgi-bin/message/custom/send', oa);
  return sent.map((c) => String((c.params['text'] as { content: string }).content));
};
const titles = async (oa: string) => (await texts(oa)).map((t) => t.split('\n')[0]);
const follow = async (oa: string, unionid: string) => {
  await registerFollower(emu, oa, unionid);
  expect(await oaPost(emu, eventXml(oa, await now(emu), 'subscribe'))).toEqual({ status: 200, body: 'success' });
};
const reply = async (oa: string, content: string, msgId: string) =>
  expect(await oaPost(emu, textXml(oa, await now(emu), content, msgId))).toEqual({ status: 200, body: 'success' });
const tagsOf = async (memberId: string) => {
  const found = await as(emu, STAFF.brand_admin).ok('admin', 'members.lookup', { query: memberId, by: 'memberId' });
  const [m] = found.members;
  return m!.tags.map((t) => t.tagId).sort();
};
/** Every event the flow wrote for the member is a catalogued type whose payload parses. */
async function expectCatalogued(memberId: string): Promise<string[]> {
  const stored = await db.collection('events').where({ memberId }).limit(100).get();
  const events = stored.data as { type: string; data: unknown }[];
  for (const e of events) {
    expect(isEventType(e.type)).toBe(true);
    if (!isEventType(e.type)) continue;
    const issues = EVENT_CATALOGUE[e.type].payload.safeParse(e.data).error?.issues ?? [];
    expect({ type: e.type, issues }).toEqual({ type: e.type, issues: [] });
  }
  return events.map((e) => e.type);
}

beforeAll(async () => {
  ({ emu, db } = await surveyEmulator(MORNING));
  await seedJourneys(db, ['follower-survey']);
  await seedStaffAndStores(db);
});
afterAll(() => emu.close());

test('S17 survey through the Official Account: a text reply completes it, no retry at 24 h, tags', async () => {
  await follow('oa_ann', 'u_ann');
  await follow('oa_dan', 'u_dan');
  await advance(emu, '10m');
  expect(await titles('oa_ann')).toEqual(['欢迎关注']);
  expect((await texts('oa_ann'))[0]).toContain('1 旗袍定制');

  await advance(emu, '2h');
  await reply('oa_ann', '1 3', '6054768590064713728');
  await advance(emu, '22h10m');
  expect(await titles('oa_ann')).toEqual(['欢迎关注']);
  expect(await titles('oa_dan')).toEqual(['欢迎关注', '问卷还差一步']);

  const ann = await as(emu, 'o_ann', { unionid: 'u_ann' }).ok('member', 'login', {});
  const survey = await as(emu, 'o_ann', { unionid: 'u_ann' }).ok('messaging', 'survey', { surveyId: 'welcome' });
  expect(survey.completed).toMatchObject({ choices: ['1', '3'], channel: 'oa' });
  expect(await tagsOf(ann.memberId)).toEqual(['interactive', 'survey_accessories', 'survey_custom_qipao']);
  const types = await expectCatalogued(ann.memberId);
  expect(types.filter((t) => t === 'survey.completed')).toHaveLength(1);
  expect(types).toContain('oa.message');
});

test('S17 survey through the Mini Program: the page answer completes it once; a later OA reply does not', async () => {
  await follow('oa_bo', 'u_bo');
  await advance(emu, '10m');
  expect(await titles('oa_bo')).toEqual(['欢迎关注']);
  const bo = as(emu, 'o_bo', { unionid: 'u_bo' });
  const { memberId } = await bo.ok('member', 'login', {});
  const page = await bo.ok('messaging', 'survey', { surveyId: 'welcome' });
  expect(page).toMatchObject({ multiple: true, completed: null });
  expect(page.options.map((o) => o.key)).toEqual(['1', '2', '3', '4']);

  const bad = await bo.call('messaging', 'answerSurvey', { surveyId: 'welcome', choices: ['9'] });
  expect(bad).toMatchObject({ ok: false, error: { code: 'SURVEY_ANSWER_INVALID' } });
  const unknown = await bo.call('messaging', 'answerSurvey', { surveyId: 'nope', choices: ['1'] });
  expect(unknown).toMatchObject({ ok: false, error: { code: 'SURVEY_NOT_FOUND' } });
  expect((await bo.ok('messaging', 'survey', { surveyId: 'welcome' })).completed).toBeNull();

  const answer = (choices: string[]) => bo.ok('messaging', 'answerSurvey', { surveyId: 'welcome', choices });
  expect(await answer(['2'])).toEqual({ surveyId: 'welcome', choices: ['2'], alreadyCompleted: false });
  expect(await answer(['4'])).toEqual({ surveyId: 'welcome', choices: ['2'], alreadyCompleted: true });
  await reply('oa_bo', '3', '6054768590064713729');
  await advance(emu, '24h');
  expect(await titles('oa_bo')).toEqual(['欢迎关注']);
  const after = await bo.ok('messaging', 'survey', { surveyId: 'welcome' });
  expect(after.completed).toMatchObject({ choices: ['2'], channel: 'mp' });
  expect(await tagsOf(memberId)).toEqual(['interactive', 'survey_ready_to_wear']);
  expect((await expectCatalogued(memberId)).filter((t) => t === 'survey.completed')).toHaveLength(1);
});

test('S17 interactive tag: an OA menu click puts it on the follower', async () => {
  await registerFollower(emu, 'oa_cy', 'u_cy');
  const click = eventXml('oa_cy', await now(emu), 'CLICK', 'rooms');
  expect(await oaPost(emu, click)).toEqual({ status: 200, body: 'success' });
  await advance(emu, '10m');
  const { memberId } = await as(emu, 'o_cy', { unionid: 'u_cy' }).ok('member', 'login', {});
  expect(await tagsOf(memberId)).toEqual(['interactive']);
  expect(await expectCatalogued(memberId)).toContain('oa.menu_clicked');
});
