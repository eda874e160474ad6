import { ok, refused } from '../../support/miniprogram/fake-wx';
import {
  actions,
  advisor,
  BIRTHDAY_CLUB_RULE,
  brandAdmin,
  campaignItem,
  HI_PO_RULE,
  manager,
  openLoaded,
  page,
  run,
  seededSegments,
  settle,
  setUp,
  tapWith,
  type Harness,
} from './fixtures-manage';

/** Segments and campaigns (S20, brand admin): saved segments and campaigns from the server, rule builder, preview, save, send with the audience size, figures. */
const PAGE = 'packageAdmin/pages/segments/index';

let h: Harness;
beforeEach(() => {
  h = setUp();
});

async function openAsAdmin(
  segments: unknown[] = seededSegments,
  campaigns: unknown[] = [],
  more = { segments: false, campaigns: false },
) {
  h.wx.answers.push(
    ok({ staff: brandAdmin }),
    ok(page(segments, more.segments)),
    ok(page(campaigns, more.campaigns, 0, 10)),
  );
  const p = await openLoaded(h.wx, PAGE);
  expect(p.data.status).toBe('ready');
  return p;
}
type Page = Awaited<ReturnType<typeof openAsAdmin>>;
const field = (name: string, value: string) => ({ currentTarget: { dataset: { field: name } }, detail: { value } });
const called = (n: number) => h.wx.calls[n]!.data;

/** Fills the builder: repeat or loyal customers tagged vip or hi-po, spent ≥ ¥500, bought within 90 days, following the OA. */
function fillRule(p: Page) {
  run(p, 'toggleStage', tapWith({ id: 'repeat' }));
  run(p, 'toggleStage', tapWith({ id: 'loyal' }));
  run(p, 'onField', field('tags', 'vip, hi-po'));
  run(p, 'onField', field('spendMin', '500'));
  run(p, 'pickRecency', tapWith({ value: 'within' }));
  run(p, 'onField', field('recencyDays', '90'));
  run(p, 'pickTri', tapWith({ field: 'follower', value: 'yes' }));
}
const RULE = {
  and: [
    { field: 'stage', op: 'in', values: ['repeat', 'loyal'] },
    { field: 'tags', op: 'hasAny', values: ['vip', 'hi-po'] },
    { field: 'spendFen', op: 'gte', value: 50000 },
    { field: 'recencyDays', op: 'within', days: 90 },
    { field: 'isFollower', op: 'is', value: true },
  ],
};
const OPENING = ['admin.staff.me', 'messaging.segments.list', 'messaging.campaigns.list'];

test('S20 the saved segments (the seeded ones too) and the campaigns with their figures come from the server', async () => {
  const figures = {
    entered: 41,
    sent: 30,
    skipped: { opted_out: 3, capped_day: 2, no_consent: 4 },
    deferred: 1,
    pending: 2,
    failed: 1,
    unknown: 1,
    converted: 6,
  };
  const p = await openAsAdmin(seededSegments, [
    campaignItem({
      id: 'cmp-2',
      name: '周末预告',
      state: 'scheduled',
      sendAt: '2026-05-02T12:00:00.000Z',
      template: 'birthday',
    }),
    campaignItem({ metrics: figures }),
    campaignItem({
      id: 'cmp-0',
      name: '孤儿活动',
      segment: { id: 'short-lived', name: null },
      error: 'segment_missing',
      template: 'custom_tpl',
    }),
  ]);
  expect(actions(h.wx)).toEqual(OPENING);
  expect([called(1), called(2)]).toEqual([{ action: 'segments.list' }, { action: 'campaigns.list' }]);
  expect(
    p.data.segments.map((s: { id: string; name: string; updatedText: string }) => [s.id, s.name, s.updatedText]),
  ).toEqual([
    ['birthday-club', '生日关怀', '更新于 2026-01-01 08:00'],
    ['hi-po', 'Hi-Po 潜力粉丝', '更新于 2026-01-01 08:00'],
  ]);
  const rows = p.data.campaigns.map((c: { id: string; stateText: string; detail: string }) => [
    c.id,
    c.stateText,
    c.detail,
  ]);
  expect(rows).toEqual([
    ['cmp-2', '定时 2026-05-02 20:00', 'Hi-Po 潜力粉丝 · 生日祝福'],
    ['cmp-1', '已发送 2026-05-01 10:00', 'Hi-Po 潜力粉丝 · 优惠券到期提醒'],
    ['cmp-0', '分群已删除，未发送', 'short-lived · custom_tpl'],
  ]);
  // skips summed over their reasons; queued = pending + deferred; failed = failed + unknown
  expect(p.data.campaigns[1].cells.map((m: { label: string; value: number }) => [m.label, m.value])).toEqual([
    ['目标', 41],
    ['已发送', 30],
    ['已跳过', 9],
    ['排队中', 3],
    ['失败', 2],
    ['转化', 6],
  ]);
  // nothing picked yet: a campaign has no target
  expect(p.data.target).toBeNull();
  expect(p.data).toMatchObject({ segmentsMore: false, campaignsMore: false });
});

test('S20 picking a seeded segment fills the builder with its rule; saving it asks first and replaces it under its id', async () => {
  const p = await openAsAdmin();
  run(p, 'pickSegment', tapWith({ id: 'hi-po' }));
  expect(p.data).toMatchObject({
    segmentId: 'hi-po',
    segmentName: 'Hi-Po 潜力粉丝',
    locked: null,
    targetText: '发送给「Hi-Po 潜力粉丝」',
  });
  expect(p.data.form).toMatchObject({ tags: 'referred, hi-po', follower: 'yes', member: 'no', stages: [] });
  h.wx.answers.push(ok({ count: 12, sample: [], at: '2026-05-01T02:00:00.000Z' }));
  await run(p, 'preview');
  // the same conditions, in the builder's order
  const sent = called(3) as { rule: { and: unknown[] } };
  expect(sent.rule.and).toHaveLength(3);
  expect(sent.rule.and).toEqual(expect.arrayContaining(HI_PO_RULE.and));
  expect(p.data.countText).toBe('当前符合 12 人');

  // edit: add the birthday condition, then save → confirmation, same id, the list read again
  run(p, 'toggleBirthday');
  h.modalAnswers.push(false);
  await run(p, 'save');
  expect(h.modals).toEqual(['保存分群「Hi-Po 潜力粉丝」？']);
  expect(actions(h.wx)).toHaveLength(4);
  const resaved = {
    id: 'hi-po',
    name: 'Hi-Po 潜力粉丝',
    rule: { and: [...HI_PO_RULE.and, { field: 'birthdayMonth', op: 'thisMonth' }] },
    updatedAt: '2026-05-01T02:00:00.000Z',
  };
  h.wx.answers.push(ok({ id: 'hi-po', count: 3 }), ok(page([resaved, seededSegments[0]])));
  await run(p, 'save');
  expect(called(4)).toMatchObject({ action: 'segments.save', id: 'hi-po', name: 'Hi-Po 潜力粉丝' });
  expect((called(4) as { rule: { and: unknown[] } }).rule.and).toContainEqual({
    field: 'birthdayMonth',
    op: 'thisMonth',
  });
  expect(actions(h.wx).slice(4)).toEqual(['messaging.segments.save', 'messaging.segments.list']);
  expect(h.wx.toasts).toEqual(['已保存，3 人']);
  expect(p.data.segments.map((s: { id: string }) => s.id)).toEqual(['hi-po', 'birthday-club']);
});

test('S20 a segment the builder cannot show (a "not" rule) is previewed, renamed and saved exactly as saved', async () => {
  const p = await openAsAdmin();
  run(p, 'pickSegment', tapWith({ id: 'birthday-club' }));
  expect(p.data.locked).toEqual(BIRTHDAY_CLUB_RULE);
  h.wx.answers.push(ok({ count: 950, sample: [], at: '2026-05-01T02:00:00.000Z' }));
  await run(p, 'preview');
  expect(called(3)).toEqual({ action: 'segments.preview', rule: BIRTHDAY_CLUB_RULE });
  run(p, 'onName', { detail: { value: '生日关怀（全体）' } });
  h.wx.answers.push(ok({ id: 'birthday-club', count: 950 }), ok(page(seededSegments)));
  await run(p, 'save');
  expect(called(4)).toEqual({
    action: 'segments.save',
    id: 'birthday-club',
    name: '生日关怀（全体）',
    rule: BIRTHDAY_CLUB_RULE,
  });
  // a new segment starts from an empty, editable builder and no target
  run(p, 'newSegment');
  expect(p.data).toMatchObject({ locked: null, segmentId: '', segmentName: '', target: null });
  await run(p, 'preview');
  expect(p.data.error).toBe('请至少设置一个条件');
});

test('S20 a "not" segment opens as groups: negation undone, an "any of" added, saved as the groups say', async () => {
  const p = await openAsAdmin();
  run(p, 'pickSegment', tapWith({ id: 'birthday-club' }));
  expect(p.data.tree).toEqual({ kind: 'not', of: { kind: 'leaf', dim: 'tags:hasAny', values: ['no-greetings'] } });
  expect(p.data.groupDims.map((d: { label: string }) => d.label)).toContain('同意接收营销消息');
  const edited = {
    kind: 'all',
    of: [
      { kind: 'leaf', dim: 'tags:hasNone', values: ['no-greetings'] },
      {
        kind: 'any',
        of: [
          { kind: 'leaf', dim: 'stage:in', values: ['loyal'] },
          { kind: 'leaf', dim: 'marketingOptIn:is', values: ['true'] },
          { kind: 'leaf', dim: 'recencyDays:within', values: ['30'] },
        ],
      },
    ],
  };
  run(p, 'onTree', { detail: { node: edited } });
  const rule = {
    and: [
      { field: 'tags', op: 'hasNone', values: ['no-greetings'] },
      {
        or: [
          { field: 'stage', op: 'in', values: ['loyal'] },
          { field: 'marketingOptIn', op: 'is', value: true },
          { field: 'recencyDays', op: 'within', days: 30 },
        ],
      },
    ],
  };
  expect(p.data.locked).toEqual(rule);
  h.wx.answers.push(ok({ id: 'birthday-club', count: 12 }), ok(page(seededSegments)));
  await run(p, 'save');
  expect(called(3)).toEqual({ action: 'segments.save', id: 'birthday-club', name: '生日关怀', rule });
});

test("S20 the form's conditions move to the group editor, to be grouped or negated there", async () => {
  const p = await openAsAdmin();
  run(p, 'pickTri', { currentTarget: { dataset: { field: 'consent', value: 'no' } } });
  run(p, 'editAsGroups');
  expect(p.data.tree).toEqual({ kind: 'all', of: [{ kind: 'leaf', dim: 'marketingOptIn:is', values: ['false'] }] });
  expect(p.data.locked).toEqual({ and: [{ field: 'marketingOptIn', op: 'is', value: false }] });
  expect(p.data.maxGroups).toBe(7);
});

test('S20 the builder turns stage, tags, spend, recency and follower into one rule; preview shows the count', async () => {
  const p = await openAsAdmin();
  fillRule(p);
  h.wx.answers.push(ok({ count: 37, sample: [], at: '2026-05-01T02:00:00.000Z' }));
  await run(p, 'preview');
  expect(called(3)).toEqual({ action: 'segments.preview', rule: RULE });
  expect(p.data).toMatchObject({ count: 37, countText: '当前符合 37 人', busy: false });
  // a stage tapped twice is off again, and one condition alone is sent without `and`
  run(p, 'newSegment');
  run(p, 'toggleStage', tapWith({ id: 'lapsed' }));
  run(p, 'toggleStage', tapWith({ id: 'repeat' }));
  run(p, 'toggleStage', tapWith({ id: 'repeat' }));
  h.wx.answers.push(ok({ count: 5, sample: [], at: '2026-05-01T02:00:00.000Z' }));
  await run(p, 'preview');
  expect(called(4)).toEqual({ action: 'segments.preview', rule: { field: 'stage', op: 'in', values: ['lapsed'] } });
});

test('S20 the builder adds categories bought, order channel, marketing consent and recent activity; preview names a few members', async () => {
  const p = await openAsAdmin();
  run(p, 'onField', field('categories', 'qipao，accessories'));
  run(p, 'onField', field('channels', 'pos'));
  run(p, 'pickTri', tapWith({ field: 'consent', value: 'yes' }));
  run(p, 'onField', field('activeDays', '30'));
  const sample = [
    { memberId: 'm_1', name: '林女士', stage: 'loyal', tier: 'gold', ltvFen: 120_000 },
    { memberId: 'm_2', name: null, stage: null, tier: null, ltvFen: 0 },
  ];
  h.wx.answers.push(ok({ count: 2, sample, at: '2026-05-01T02:00:00.000Z' }));
  await run(p, 'preview');
  expect(called(3)).toEqual({
    action: 'segments.preview',
    rule: {
      and: [
        { field: 'categories', op: 'hasAny', values: ['qipao', 'accessories'] },
        { field: 'channels', op: 'hasAny', values: ['pos'] },
        { field: 'marketingOptIn', op: 'is', value: true },
        { field: 'activeDays', op: 'within', days: 30 },
      ],
    },
  });
  expect(p.data).toMatchObject({ countText: '当前符合 2 人', sampleText: '例如：林女士、m_2' });
  // a bad day count is explained, nothing sent
  run(p, 'onField', field('activeDays', '3 days'));
  const calls = h.wx.calls.length;
  await run(p, 'preview');
  expect(h.wx.calls.length).toBe(calls);
  expect(p.data.error).not.toBe('');
});

test('S20 a form that is not a rule is explained and nothing is sent', async () => {
  const p = await openAsAdmin();
  await run(p, 'preview');
  expect(p.data.error).toBe('请至少设置一个条件');
  run(p, 'onField', field('spendMin', '800'));
  run(p, 'onField', field('spendMax', '300'));
  await run(p, 'preview');
  expect(p.data.error).toBe('消费金额应为非负数，且最低不高于最高');
  run(p, 'onField', field('spendMax', ''));
  run(p, 'pickRecency', tapWith({ value: 'notWithin' }));
  run(p, 'onField', field('recencyDays', '1.5'));
  await run(p, 'save');
  expect(p.data.error).toBe('天数应为 0–3650 的整数');
  expect(actions(h.wx)).toEqual(OPENING);
});

test('S20 a new segment: save needs a name, asks first, gets a fresh id, and becomes the campaign target; saving again replaces it', async () => {
  const p = await openAsAdmin();
  fillRule(p);
  await run(p, 'save');
  expect(p.data.error).toBe('请填写分群名称');
  run(p, 'onName', { detail: { value: ' 高价值复购 ' } });
  h.wx.hold();
  const saving = run(p, 'save');
  await settle();
  const saved = called(3);
  expect(saved).toMatchObject({ action: 'segments.save', name: '高价值复购', rule: RULE });
  expect(String(saved.id)).toMatch(/^seg-[a-z0-9]+$/);
  const row = { id: saved.id, name: '高价值复购', rule: RULE, updatedAt: '2026-05-01T02:00:00.000Z' };
  h.wx.answers.push(ok({ id: saved.id, count: 37 }), ok(page([row, ...seededSegments])));
  h.wx.release();
  await saving;
  expect(p.data.segments[0]).toMatchObject({ id: saved.id, name: '高价值复购' });
  expect(p.data).toMatchObject({ segmentId: saved.id, targetText: '发送给「高价值复购」' });
  h.wx.answers.push(ok({ id: saved.id, count: 36 }), ok(page([row, ...seededSegments])));
  await run(p, 'save');
  expect(called(5).id).toBe(saved.id);
  expect(h.wx.toasts).toEqual(['已保存，37 人', '已保存，36 人']);
});

test('S20 sending counts the target’s audience now, confirms with that number, sends, then shows the campaign from the server', async () => {
  const p = await openAsAdmin();
  run(p, 'onCampaignField', field('name', '春装上新'));
  run(p, 'onCampaignField', field('title', '春装到店'));
  await run(p, 'send');
  expect(p.data.error).toBe('先在上方选择或保存一个分群，再向它发送活动');
  run(p, 'pickSegment', tapWith({ id: 'hi-po' }));
  expect(p.data.templateChoices.map((c: { id: string }) => c.id)).toEqual([
    'birthday',
    'couponExpiring',
    'pointsExpiring',
    'welcome',
    'thankYou',
  ]);
  run(p, 'pickTemplate', tapWith({ id: 'couponExpiring' }));
  run(p, 'onCampaignField', field('body', '会员专享 8 折'));
  const campaignId = p.data.campaign.id as string;
  expect(campaignId).toMatch(/^cmp-[a-z0-9]+$/);

  h.wx.answers.push(ok({ count: 41, sample: [], at: '2026-05-01T02:00:00.000Z' }));
  h.modalAnswers.push(false);
  await run(p, 'send');
  // the saved rule is counted, not whatever the builder holds
  expect(called(3)).toEqual({ action: 'segments.preview', rule: HI_PO_RULE });
  expect(h.modals.at(-1)).toBe(
    '向「Hi-Po 潜力粉丝」的 41 人发送「春装上新」？已退订、超出频次或未订阅的会员会被跳过。',
  );
  expect(actions(h.wx)).not.toContain('messaging.campaigns.send');

  h.wx.answers.push(
    ok({ count: 41, sample: [], at: '2026-05-01T02:00:00.000Z' }),
    refused('SEGMENT_NOT_FOUND', '分群不存在 / no segment hi-po'),
  );
  await run(p, 'send');
  expect(p.data.error).toBe('该分群已不存在，请下拉刷新后重新选择');
  const sentNow = campaignItem({
    id: campaignId,
    name: '春装上新',
    metrics: { entered: 41, sent: 30, skipped: {}, deferred: 0, pending: 11, failed: 0, unknown: 0, converted: 0 },
  });
  h.wx.answers.push(
    ok({ count: 41, sample: [], at: '2026-05-01T02:00:00.000Z' }),
    ok({ campaignId, state: 'enqueued', sendAt: '2026-05-01T02:00:00.000Z', enqueued: 41 }),
    ok(page([sentNow], false, 0, 10)),
  );
  await run(p, 'send');
  const sends = h.wx.calls.filter((c) => c.data.action === 'campaigns.send');
  // a retried send reuses the campaign id
  expect(sends.map((c) => c.data)).toEqual(
    Array(2).fill({
      action: 'campaigns.send',
      id: campaignId,
      name: '春装上新',
      segmentId: 'hi-po',
      message: {
        channel: 'subscribe',
        template: 'couponExpiring',
        purpose: 'marketing',
        data: { title: '春装到店', body: '会员专享 8 折' },
      },
    }),
  );
  expect(actions(h.wx).at(-1)).toBe('messaging.campaigns.list');
  expect(h.wx.toasts.at(-1)).toBe('已发送，入队 41 条');
  expect(p.data.campaigns.map((c: { id: string }) => c.id)).toEqual([campaignId]);
  expect(p.data.campaigns[0].cells.find((m: { key: string }) => m.key === 'waiting').value).toBe(11);
  // the form is cleared, with a new id for the next campaign; the target stays
  expect(p.data.campaign).toMatchObject({ name: '', title: '', body: '' });
  expect(p.data.campaign.id).not.toBe(campaignId);
  expect(p.data.target.id).toBe('hi-po');
});

test('S20 more segments and campaigns load page by page; one already shown is not repeated', async () => {
  const many = Array.from({ length: 20 }, (_, i) => ({
    id: `seg-${i}`,
    name: `分群 ${i}`,
    rule: RULE,
    updatedAt: '2026-04-01T00:00:00.000Z',
  }));
  const p = await openAsAdmin(many, [campaignItem({ id: 'cmp-9' })], { segments: true, campaigns: true });
  expect(p.data).toMatchObject({ segmentsMore: true, campaignsMore: true });
  h.wx.answers.push(ok(page([many[19], ...seededSegments], false, 1)));
  await run(p, 'moreSegments');
  expect(called(3)).toEqual({ action: 'segments.list', page: 1 });
  expect(p.data.segments).toHaveLength(22);
  expect(p.data.segments.slice(20).map((s: { id: string }) => s.id)).toEqual(['birthday-club', 'hi-po']);
  expect(p.data.segmentsMore).toBe(false);
  await run(p, 'moreSegments');
  expect(actions(h.wx)).toHaveLength(4);

  h.wx.answers.push(refused('INTERNAL', '服务繁忙'));
  await run(p, 'moreCampaigns');
  expect(p.data).toMatchObject({ error: '服务繁忙，请稍后重试', campaignsMore: true, busy: false });
  h.wx.answers.push(ok(page([campaignItem({ id: 'cmp-8' })], false, 1, 10)));
  await run(p, 'moreCampaigns');
  expect(called(5)).toEqual({ action: 'campaigns.list', page: 1 });
  expect(p.data.campaigns.map((c: { id: string }) => c.id)).toEqual(['cmp-9', 'cmp-8']);
  expect(p.data.campaignsMore).toBe(false);
});

test('S21 store staff (advisor, manager) get the "admins only" state and no messaging call; a failure shows error and retry', async () => {
  for (const staff of [advisor, manager]) {
    h = setUp();
    h.wx.answers.push(ok({ staff }));
    const p = await openLoaded(h.wx, PAGE);
    expect(p.data).toMatchObject({ status: 'empty', emptyText: '仅品牌管理员可管理分群与发送活动' });
    expect(actions(h.wx)).toEqual(['admin.staff.me']);
  }
  h = setUp();
  h.wx.answers.push(ok({ staff: brandAdmin }), refused('FORBIDDEN', '当前角色无权进行此操作'), ok(page([])));
  const p = await openLoaded(h.wx, PAGE);
  expect(p.data).toMatchObject({ status: 'error', message: '没有权限进行此操作' });
  h.wx.answers.push(ok(page([])), ok(page([], false, 0, 10)));
  run(p, 'retry');
  await settle();
  expect(p.data).toMatchObject({ status: 'ready', segments: [], campaigns: [] });
});

test('the page text follows the language', async () => {
  h.wx.storage.set('lang', 'en');
  const p = await openAsAdmin(seededSegments, [campaignItem()]);
  expect(p.data.t.title).toBe('Segments and campaigns');
  expect(p.data.templateChoices[0]).toEqual({ id: 'birthday', label: 'Birthday' });
  expect(p.data.campaigns[0]).toMatchObject({
    stateText: 'Sent 2026-05-01 10:00',
    detail: 'Hi-Po 潜力粉丝 · Coupon expiring',
  });
  expect(p.data.segments[0].updatedText).toBe('Updated 2026-01-01 08:00');
});
