import { ok, refused } from '../../support/miniprogram/fake-wx';
import { openPage } from '../../support/miniprogram/page-harness';
import { actions, advisor, brandAdmin, manager, openLoaded, run, settle, setUp, tapWith, type Harness } from './fixtures-manage';

/** Segments and campaigns (S20, brand admin): rule builder, preview, save, send with the audience size, figures. */
const PAGE = 'packageAdmin/pages/segments/index';

let h: Harness;
beforeEach(() => {
  h = setUp();
});

async function openAsAdmin() {
  h.wx.answers.push(ok({ staff: brandAdmin }));
  const page = await openLoaded(h.wx, PAGE);
  expect(page.data.status).toBe('ready');
  return page;
}
const field = (name: string, value: string) => ({ currentTarget: { dataset: { field: name } }, detail: { value } });

/** Fills the builder: repeat or loyal customers tagged vip or hi-po, spent ≥ ¥500, bought within 90 days, following the OA. */
function fillRule(page: Awaited<ReturnType<typeof openAsAdmin>>) {
  run(page, 'toggleStage', tapWith({ id: 'repeat' }));
  run(page, 'toggleStage', tapWith({ id: 'loyal' }));
  run(page, 'onField', field('tags', 'vip, hi-po'));
  run(page, 'onField', field('spendMin', '500'));
  run(page, 'pickRecency', tapWith({ value: 'within' }));
  run(page, 'onField', field('recencyDays', '90'));
  run(page, 'pickTri', tapWith({ field: 'follower', value: 'yes' }));
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

test('S20 the builder turns stage, tags, spend, recency and follower into one rule; preview shows the count', async () => {
  const page = await openAsAdmin();
  expect(page.data.stageChoices.map((c: { label: string }) => c.label)).toEqual(['匿名访客', '浏览客', '首购客', '复购客', '忠诚客', '犹豫客', '流失客']);
  fillRule(page);
  h.wx.answers.push(ok({ count: 37, at: '2026-05-01T02:00:00.000Z' }));
  await run(page, 'preview');
  expect(h.wx.calls[1]!.data).toEqual({ action: 'segments.preview', rule: RULE });
  expect(page.data).toMatchObject({ count: 37, countText: '当前符合 37 人', busy: false });
  // a stage tapped twice is off again, and one condition alone is sent without `and`
  run(page, 'newSegment');
  run(page, 'toggleStage', tapWith({ id: 'lapsed' }));
  run(page, 'toggleStage', tapWith({ id: 'repeat' }));
  run(page, 'toggleStage', tapWith({ id: 'repeat' }));
  h.wx.answers.push(ok({ count: 5, at: '2026-05-01T02:00:00.000Z' }));
  await run(page, 'preview');
  expect(h.wx.calls[2]!.data).toEqual({ action: 'segments.preview', rule: { field: 'stage', op: 'in', values: ['lapsed'] } });
});

test('S20 a form that is not a rule is explained and nothing is sent', async () => {
  const page = await openAsAdmin();
  await run(page, 'preview');
  expect(page.data.error).toBe('请至少设置一个条件');
  run(page, 'onField', field('spendMin', '800'));
  run(page, 'onField', field('spendMax', '300'));
  await run(page, 'preview');
  expect(page.data.error).toBe('消费金额应为非负数，且最低不高于最高');
  run(page, 'onField', field('spendMax', ''));
  run(page, 'pickRecency', tapWith({ value: 'notWithin' }));
  run(page, 'onField', field('recencyDays', '1.5'));
  await run(page, 'save');
  expect(page.data.error).toBe('天数应为 0–3650 的整数');
  expect(actions(h.wx)).toEqual(['admin.staff.me']);
});

test('S20 save asks first, sends id, name and rule, and saving the same form again replaces the same segment', async () => {
  const page = await openAsAdmin();
  fillRule(page);
  await run(page, 'save');
  expect(page.data.error).toBe('请填写分群名称');
  run(page, 'onName', { detail: { value: ' 高价值复购 ' } });
  h.modalAnswers.push(false);
  await run(page, 'save');
  expect(h.modals).toEqual(['保存分群「高价值复购」？']);
  expect(actions(h.wx)).toEqual(['admin.staff.me']);

  // the server answers with the id it was sent
  h.wx.hold();
  const saving = run(page, 'save');
  await settle();
  const saved = h.wx.calls[1]!.data;
  h.wx.answers.push(ok({ id: saved.id, count: 37 }));
  h.wx.release();
  await saving;
  expect(saved).toMatchObject({ action: 'segments.save', name: '高价值复购', rule: RULE });
  expect(String(saved.id)).toMatch(/^seg-[a-z0-9]+$/);
  h.wx.answers.push(ok({ id: saved.id, count: 36 }));
  await run(page, 'save');
  expect(h.wx.calls[2]!.data.id).toBe(saved.id);
  expect(h.wx.toasts).toEqual(['已保存，37 人', '已保存，36 人']);
  // the campaign form targets it, and it is remembered on this device for the next visit
  expect(page.data.campaign.segmentId).toBe(saved.id);
  // (the staff record is cached for the launch: no second staff.me call)
  const again = openPage(PAGE);
  run(again, 'onLoad', {});
  await settle();
  expect(actions(h.wx)).toHaveLength(3);
  expect(again.data.segments).toEqual([{ id: saved.id, name: '高价值复购', count: 36, rule: RULE }]);
});

test('S20 sending counts the audience now, confirms with that number, then sends the subscription campaign', async () => {
  const page = await openAsAdmin();
  fillRule(page);
  run(page, 'onName', { detail: { value: '高价值复购' } });
  h.wx.answers.push(ok({ id: 'seg-a1', count: 37 }));
  await run(page, 'save');
  expect(page.data.templateChoices.map((c: { id: string }) => c.id)).toEqual(['birthday', 'couponExpiring', 'pointsExpiring', 'welcome', 'thankYou']);
  run(page, 'pickTemplate', tapWith({ id: 'couponExpiring' }));
  run(page, 'onCampaignField', field('name', '春装上新'));
  run(page, 'onCampaignField', field('title', '春装到店'));
  run(page, 'onCampaignField', field('body', '会员专享 8 折'));
  const campaignId = page.data.campaign.id as string;
  expect(campaignId).toMatch(/^cmp-[a-z0-9]+$/);

  h.wx.answers.push(ok({ count: 41, at: '2026-05-01T02:00:00.000Z' }));
  h.modalAnswers.push(false);
  await run(page, 'send');
  expect(h.wx.calls[2]!.data).toEqual({ action: 'segments.preview', rule: RULE });
  expect(h.modals.at(-1)).toBe('向「高价值复购」的 41 人发送「春装上新」？已退订、超出频次或未订阅的会员会被跳过。');
  expect(actions(h.wx)).not.toContain('messaging.campaigns.send');

  h.wx.answers.push(ok({ count: 41, at: '2026-05-01T02:00:00.000Z' }), refused('SEGMENT_NOT_FOUND', '分群不存在 / no segment seg-a1'));
  await run(page, 'send');
  expect(page.data.error).toBe('操作未完成：分群不存在 / no segment seg-a1（SEGMENT_NOT_FOUND）');
  h.wx.answers.push(ok({ count: 41, at: '2026-05-01T02:00:00.000Z' }), ok({ campaignId, state: 'enqueued', sendAt: '2026-05-01T02:00:00.000Z', enqueued: 30 }));
  await run(page, 'send');
  const sends = h.wx.calls.filter((c) => c.data.action === 'campaigns.send');
  expect(sends.map((c) => c.data)).toEqual(Array(2).fill({
    action: 'campaigns.send', id: campaignId, name: '春装上新', segmentId: 'seg-a1',
    message: { channel: 'subscribe', template: 'couponExpiring', purpose: 'marketing', data: { title: '春装到店', body: '会员专享 8 折' } },
  }));
  expect(h.wx.toasts.at(-1)).toBe('已发送，入队 30 条');
  expect(page.data.campaigns).toEqual([{ campaignId, name: '春装上新', segmentName: '高价值复购', audience: 41, sentAt: '2026-05-01T02:00:00.000Z' }]);
  // the form is cleared, with a new id for the next campaign
  expect(page.data.campaign).toMatchObject({ name: '', title: '', body: '', segmentId: 'seg-a1' });
  expect(page.data.campaign.id).not.toBe(campaignId);
});

test('S20 a campaign’s figures: entered, sent, skipped by reason summed, queued, failed, converted', async () => {
  const page = await openAsAdmin();
  h.wx.answers.push(ok({ entered: 41, sent: 30, skipped: { opted_out: 3, capped: 2, no_consent: 4 }, deferred: 1, pending: 0, failed: 1, unknown: 0, converted: 6 }));
  await run(page, 'showMetrics', tapWith({ id: 'cmp-1' }));
  expect(h.wx.calls[1]!.data).toEqual({ action: 'metrics', campaignId: 'cmp-1' });
  expect(page.data.metricsOf).toBe('cmp-1');
  expect(page.data.metrics.map((m: { label: string; value: number }) => [m.label, m.value])).toEqual([
    ['目标', 41], ['已发送', 30], ['已跳过', 9], ['排队中', 1], ['失败', 1], ['转化', 6],
  ]);
  h.wx.answers.push(refused('NOT_STAFF', '无权查看'));
  await run(page, 'showMetrics', tapWith({ id: 'cmp-2' }));
  expect(page.data).toMatchObject({ metricsOf: '', error: '操作未完成：无权查看（NOT_STAFF）' });
});

test('S21 store staff (advisor, manager) get the "admins only" state and no messaging call; a failure shows error and retry', async () => {
  for (const staff of [advisor, manager]) {
    h = setUp();
    h.wx.answers.push(ok({ staff }));
    const page = await openLoaded(h.wx, PAGE);
    expect(page.data).toMatchObject({ status: 'empty', emptyText: '仅品牌管理员可管理分群与发送活动' });
    expect(actions(h.wx)).toEqual(['admin.staff.me']);
  }
  h = setUp();
  h.wx.answers.push(refused('INTERNAL', '服务繁忙'), ok({ staff: brandAdmin }));
  const page = await openLoaded(h.wx, PAGE);
  expect(page.data).toMatchObject({ status: 'error', message: '服务繁忙' });
  run(page, 'retry');
  await settle();
  expect(page.data.status).toBe('ready');
});

test('the page text follows the language', async () => {
  h.wx.storage.set('lang', 'en');
  const page = await openAsAdmin();
  expect(page.data.t.title).toBe('Segments and campaigns');
  expect(page.data.templateChoices[0]).toEqual({ id: 'birthday', label: 'Birthday' });
});
