import { ok, refused, type FakeWx } from '../../support/miniprogram/fake-wx';
import { actions, inputOf, openLoaded, run, setUp, visitorView, memberView, type Harness } from './fixtures';

const SURVEY = 'packageMember/pages/survey/index';
const text = (zh: string, en: string) => ({ zh, en });
const survey = (completed: { choices: string[]; channel: 'oa' | 'mp'; at: string } | null = null) => ({
  surveyId: 'welcome',
  question: text('您对哪些感兴趣？', 'What are you interested in?'),
  multiple: true,
  options: [
    { key: '1', text: text('旗袍定制', 'Made-to-measure qipao') },
    { key: '2', text: text('日常成衣', 'Ready-to-wear') },
    { key: '3', text: text('配饰', 'Accessories') },
  ],
  completed,
});
const tap = (key: string) => ({ currentTarget: { dataset: { key } } });
let h: Harness;
let wx: FakeWx;
beforeEach(() => {
  h = setUp();
  wx = h.wx;
});

test('S17 picks and submits; the thanks shows the answer, a visitor is led to the card', async () => {
  wx.answers.push(ok(visitorView), ok(survey()));
  const page = await openLoaded(wx, SURVEY);
  expect(inputOf(wx, 'messaging.survey')).toEqual({ surveyId: 'welcome' });
  expect(page.data).toMatchObject({ status: 'ready', done: false, question: '您对哪些感兴趣？', multiple: true });

  await run(page, 'submit');
  expect(page.data.error).toBe('请先选择');
  expect(actions(wx)).toEqual(['member.login', 'messaging.survey']);

  await run(page, 'toggle', tap('3'));
  await run(page, 'toggle', tap('1'));
  await run(page, 'toggle', tap('2'));
  await run(page, 'toggle', tap('2'));
  const answered = survey({ choices: ['1', '3'], channel: 'mp', at: '2026-05-04T02:00:00.000Z' });
  wx.answers.push(ok({ surveyId: 'welcome', choices: ['1', '3'], alreadyCompleted: false }), ok(answered));
  await run(page, 'submit');
  expect(inputOf(wx, 'messaging.answerSurvey')).toEqual({ surveyId: 'welcome', choices: ['1', '3'] });
  expect(page.data).toMatchObject({ done: true, answered: '您的选择：旗袍定制、配饰', isMember: false });
  await run(page, 'openCard');
  expect(wx.navigations).toEqual(['/packageMember/pages/claim/index']);
});

test('answered already on the Official Account: the page shows that answer; a member goes to the card', async () => {
  wx.answers.push(ok(memberView), ok(survey({ choices: ['2'], channel: 'oa', at: '2026-05-04T02:00:00.000Z' })));
  const page = await openLoaded(wx, SURVEY, { id: 'welcome' });
  expect(page.data).toMatchObject({ done: true, answered: '您的选择：日常成衣（已在公众号回复）', isMember: true });
  await run(page, 'openCard');
  expect(h.switched).toEqual(['/pages/home/index']);
});

test('a refused answer shows its message and keeps the choices', async () => {
  wx.answers.push(ok(visitorView), ok(survey()));
  const page = await openLoaded(wx, SURVEY);
  await run(page, 'toggle', tap('1'));
  wx.answers.push(refused('SURVEY_ANSWER_INVALID', '请选择问卷中的选项'));
  await run(page, 'submit');
  expect(page.data).toMatchObject({ done: false, error: '请选择问卷中的选项', busy: false });
  const options = page.data.options as { key: string; chosen: boolean }[];
  expect(options.filter((o) => o.chosen).map((o) => o.key)).toEqual(['1']);
});

test('a survey that cannot be read shows the error state', async () => {
  wx.answers.push(ok(visitorView), refused('SURVEY_NOT_FOUND', '问卷不存在'));
  const page = await openLoaded(wx, SURVEY, { id: 'nope' });
  expect(inputOf(wx, 'messaging.survey')).toEqual({ surveyId: 'nope' });
  expect(page.data).toMatchObject({ status: 'error', message: '问卷不存在' });
});
