import { EVENT_TYPES } from '../../../core/events/catalogue';
import { ok } from '../../support/miniprogram/fake-wx';
import type { PageInstance } from '../../support/miniprogram/page-harness';
import { actions, admin, inputOf, manager, openLoaded, refusedWith, run, setUp, type Harness } from './fixtures-core';

/** The journey editor (brand admin, phone-sized forms): steps as forms, drafts, versions, the simulator. */
const PAGE = 'packageAdmin/pages/journey-edit/index';

const draft = {
  id: 'welcome-flow',
  name: '入会欢迎',
  enabled: true,
  trigger: { event: 'member.joined' },
  entry: 'once',
  exitOn: [],
  steps: [
    { id: 'wait-1h', type: 'wait', duration: '1h' },
    { id: 'vip', type: 'branch', condition: { type: 'tier', in: ['gold'] }, then: 'hello', else: '$end' },
    { id: 'hello', type: 'send', channel: 'subscribe', template: 'nurture_welcome', purpose: 'marketing', data: {} },
  ],
};
const view = (patch: Record<string, unknown> = {}) => ({
  id: 'welcome-flow',
  status: 'live',
  version: 1,
  draft,
  unpublished: false,
  versions: [],
  ...patch,
});
const input = (index: number, key: string, value: string | number) => ({
  currentTarget: { dataset: { index, key } },
  detail: { value },
});
const field = (name: string, value: string | boolean) => ({
  currentTarget: { dataset: { field: name } },
  detail: { value },
});

const choices = {
  tags: [{ id: 'vip', name: { zh: '贵宾', en: 'VIP' }, category: 'value' }],
  tiers: [
    { id: 'silver', name: { zh: '银卡', en: 'Silver' } },
    { id: 'gold', name: { zh: '金卡', en: 'Gold' } },
  ],
  stages: ['first_time', 'repeat'],
  segments: [{ id: 'opted-out', name: '已退订营销' }],
  categories: ['qipao'],
  consents: ['nurture_welcome'],
};

let h: Harness;
beforeEach(() => {
  h = setUp();
  h.wx.routes['messaging.journeys.choices'] = ok(choices);
});

async function openExisting(): Promise<PageInstance> {
  h.wx.answers.push(ok({ staff: admin }), ok(view()));
  return openLoaded(h.wx, PAGE, { id: 'welcome-flow' });
}

test('S21 an existing journey opens as forms: trigger, re-entry and one form per step, Chinese first', async () => {
  const page = await openExisting();
  expect(actions(h.wx)).toEqual(['admin.staff.me', 'messaging.journeys.get', 'messaging.journeys.choices']);
  expect(page.data).toMatchObject({
    status: 'ready',
    statusLine: '已发布 · 第 1 版',
    triggerLabels: expect.arrayContaining(['入会']),
  });
  expect(page.data.entryLabels[page.data.entryIndex]).toBe('每人仅一次');
  expect(page.data.stepViews.map((s: { typeLabel: string }) => s.typeLabel)).toEqual(['等待', '条件分支', '发送消息']);
  const branch = page.data.stepViews[1].fields;
  expect(branch.map((f: { label: string; value: string }) => [f.label, f.value])).toEqual([
    ['步骤编号', 'vip'],
    ['成立时到', 'hello'],
    ['不成立时到', '$end'],
  ]);
  expect(page.data.stepViews[1].condition).toEqual({ kind: 'leaf', dim: 'tier', values: ['gold'] });
  expect(page.data.stepViews[0].condition).toBeNull();
});

test("S21 the condition pickers offer the brand's own values, in the reader's words", async () => {
  const page = await openExisting();
  expect(page.data.choicesStatus).toBe('ready');
  const dims = Object.fromEntries(
    page.data.dims.map((d: { key: string; pick: string; options: { label: string }[] }) => [
      d.key,
      [d.pick, d.options.map((o) => o.label).join(',')],
    ]),
  );
  expect(dims).toEqual({
    tag: ['one', '贵宾'],
    tier: ['many', '银卡,金卡'],
    stage: ['many', '首购客,复购客'],
    language: ['one', '中文,英文'],
    productCategory: ['one', 'qipao'],
    consent: ['one', 'nurture_welcome'],
    inSegment: ['one', '已退订营销'],
    activeWithin: ['text', ''],
  });
  expect(page.data.condText.any).toBe('任一满足');
});

test('when the pickers cannot load, the page says so and the editor takes typed values', async () => {
  h.wx.routes['messaging.journeys.choices'] = refusedWith('INTERNAL', '服务繁忙', {});
  const page = await openExisting();
  expect(page.data).toMatchObject({ status: 'ready', choicesStatus: 'error' });
  expect(page.data.choicesError).not.toBe('');
  expect(
    page.data.dims.every((d: { options: unknown[]; key: string }) => d.key === 'language' || !d.options.length),
  ).toBe(true);
});

test('the trigger and goal pickers offer every event of the catalogue, each in words', async () => {
  const page = await openExisting();
  expect([...page.data.triggerOptions].sort()).toEqual([...EVENT_TYPES].sort());
  expect(page.data.triggerLabels[page.data.triggerOptions.indexOf('cart.abandoned')]).toBe('放弃购物车');
  expect(page.data.goalOptions).toEqual(['', ...page.data.triggerOptions]);
});

test('steps are added, edited, reordered and removed; the draft saved is what the forms show', async () => {
  const page = await openExisting();
  await run(page, 'addStep', { currentTarget: { dataset: {} }, detail: { value: 7 } }); // 积分
  await run(page, 'onStepField', input(3, 'amount', '50'));
  const nested = {
    kind: 'all',
    of: [
      {
        kind: 'any',
        of: [
          { kind: 'leaf', dim: 'tag', values: ['vip'] },
          { kind: 'leaf', dim: 'tier', values: ['gold', 'platinum'] },
        ],
      },
      { kind: 'not', of: { kind: 'leaf', dim: 'inSegment', values: ['opted-out'] } },
    ],
  };
  await run(page, 'onCondition', { currentTarget: { dataset: { index: 1 } }, detail: { node: nested } });
  expect(page.data.stepViews[1].condition).toEqual(nested);
  await run(page, 'moveUp', { currentTarget: { dataset: { index: 3 } }, detail: { value: '' } });
  await run(page, 'removeStep', { currentTarget: { dataset: { index: 0 } }, detail: { value: '' } });
  await run(page, 'onFormPick', field('entry', '3'));
  await run(page, 'onForm', field('perDays', '30'));
  expect(page.data.stepViews.map((s: { id: string }) => s.id)).toEqual(['vip', 'points-1', 'hello']);

  h.wx.answers.push(ok(view({ unpublished: true })));
  await run(page, 'save');
  const sent = inputOf(h.wx, 'messaging.journeys.saveDraft') as {
    journeyId: string;
    journey: typeof draft & { entry: unknown };
  };
  expect(sent.journeyId).toBe('welcome-flow');
  expect(sent.journey.entry).toEqual({ oncePerDays: 30 });
  expect(sent.journey.steps).toEqual([
    {
      id: 'vip',
      type: 'branch',
      condition: {
        type: 'all',
        of: [
          {
            type: 'any',
            of: [
              { type: 'tag', has: 'vip' },
              { type: 'tier', in: ['gold', 'platinum'] },
            ],
          },
          { type: 'not', of: { type: 'inSegment', segmentId: 'opted-out' } },
        ],
      },
      then: 'hello',
      else: '$end',
    },
    { id: 'points-1', type: 'points', amount: 50 },
    draft.steps[2],
  ]);
  expect(h.wx.toasts).toEqual(['草稿已保存']);
});

test('a refused draft lists the problems, each naming its step', async () => {
  const page = await openExisting();
  await run(page, 'onStepField', input(0, 'duration', 'soon'));
  h.wx.answers.push(
    refusedWith('JOURNEY_INVALID', '旅程无效', { problems: ['steps[0] (wait): duration: duration like 30m, 47h, 3d'] }),
  );
  await run(page, 'save');
  expect(page.data).toMatchObject({ problems: ['steps[0] (wait): duration: duration like 30m, 47h, 3d'], busy: '' });
  expect(page.data.error).not.toBe('');
  // beside the step it names, and only there
  expect(page.data.stepViews.map((s: { problems: string[] }) => s.problems)).toEqual([
    ['steps[0] (wait): duration: duration like 30m, 47h, 3d'],
    [],
    [],
  ]);
});

test('publishing saves, asks, then makes the next version', async () => {
  const page = await openExisting();
  h.wx.answers.push(
    ok(view({ unpublished: true })),
    ok(
      view({
        version: 2,
        versions: [{ version: 2, publishedAt: '2026-05-04T02:00:00.000Z', publishedBy: 'staff_admin' }],
      }),
    ),
  );
  await run(page, 'publish');
  expect(h.modals).toEqual(['发布“入会欢迎”为第 2 版？新进入的会员走新版本，进行中的会员仍按原版本走完。']);
  expect(actions(h.wx).slice(3)).toEqual(['messaging.journeys.saveDraft', 'messaging.journeys.publish']);
  expect(page.data).toMatchObject({ version: 2, statusLine: '已发布 · 第 2 版' });
  expect(h.wx.toasts).toEqual(['草稿已保存', '已发布第 2 版']);
});

test('S21 the simulator plays the saved draft for a described member and shows the timeline in words', async () => {
  const page = await openExisting();
  await run(page, 'onSim', field('tier', 'gold'));
  await run(page, 'onSim', field('consents', 'nurture_welcome'));
  await run(page, 'onSim', field('days', '3'));
  h.wx.answers.push(
    ok(view()),
    ok({
      entered: true,
      status: 'completed',
      exitReason: null,
      timeline: [
        { at: '2026-05-04T02:00:00.000Z', stepId: 'wait-1h', kind: 'enter', detail: 'member.joined', why: '触发事件' },
        { at: '2026-05-04T03:00:00.000Z', stepId: 'vip', kind: 'then', detail: '等级 ∈ gold', why: '等级 ∈ gold → 是' },
        {
          at: '2026-05-04T03:00:00.000Z',
          stepId: 'hello',
          kind: 'send',
          detail: 'subscribe:nurture_welcome',
          why: '营销消息：订阅、免打扰、频次均通过',
        },
      ],
    }),
  );
  await run(page, 'simulate');
  expect(inputOf(h.wx, 'messaging.journeys.simulate')).toEqual({
    journeyId: 'welcome-flow',
    days: 3,
    profile: { tier: 'gold', tags: [], consents: ['nurture_welcome'], isFollower: false },
  });
  expect(page.data.simStatus).toBe('结果：完成');
  expect(page.data.timeline.map((r: { kind: string; detail: string }) => [r.kind, r.detail])).toEqual([
    ['进入', 'member.joined'],
    ['条件成立', '等级 ∈ gold'],
    ['发送', 'subscribe:nurture_welcome'],
  ]);
});

test('a new journey is created as a draft; only brand admins may edit', async () => {
  h.wx.answers.push(ok({ staff: admin }));
  const page = await openLoaded(h.wx, PAGE);
  expect(page.data).toMatchObject({ isNew: true, status: 'ready' });
  await run(page, 'onForm', field('name', '新旅程'));
  await run(page, 'onForm', field('id', 'new-flow'));
  h.wx.answers.push(
    ok(
      view({
        id: 'new-flow',
        status: 'draft',
        version: 0,
        unpublished: true,
        draft: { ...draft, id: 'new-flow', name: '新旅程' },
      }),
    ),
  );
  await run(page, 'save');
  expect(inputOf(h.wx, 'messaging.journeys.create')).toMatchObject({
    journey: { id: 'new-flow', name: '新旅程', trigger: { event: 'member.joined' } },
  });
  expect(page.data).toMatchObject({ isNew: false, journeyId: 'new-flow', statusLine: '草稿 · 第 0 版' });

  h = setUp();
  h.wx.answers.push(ok({ staff: manager }));
  const denied = await openLoaded(h.wx, PAGE);
  expect(denied.data).toMatchObject({ status: 'empty', emptyText: '仅品牌管理员可编辑旅程' });
});
