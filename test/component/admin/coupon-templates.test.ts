import { ok, refused, type CloudAnswer } from '../../support/miniprogram/fake-wx';
import { actions, inputOf, openLoaded, run, settle } from '../../support/miniprogram/page-calls';
import { admin, manager, openListAsAdmin, setUp, type Harness } from './fixtures-core';
import { demoCouponTemplates } from '../../../scripts/seed/demo-brand';

/** Coupon templates (S10, brand admin): stock bars, create, stock + and −, pause and resume, each confirmed first. */
const PAGE = 'packageAdmin/pages/coupon-templates/index';

const { _id, ...spring } = demoCouponTemplates.find((t) => t.templateId === 'tpl_spring_50')!;
const template = (patch: Record<string, unknown> = {}) => ({
  ...spring,
  pointsCost: null,
  activeWindow: null,
  claimed: 40,
  redeemed: 12,
  stockLeft: 60,
  ...patch,
});
const unlimited = template({
  templateId: 'tpl_mall_30',
  name: { zh: '30 元代金券' },
  benefit: { kind: 'percentOff', percent: 10 },
  minSpendFen: 0,
  totalStock: null,
  perMemberLimit: null,
  channels: ['pointsMall'],
  pointsCost: 300,
  claimed: 7,
  redeemed: 2,
  stockLeft: null,
});
/** A call that got no answer (not retried by the client): the page keeps its request id for the staff member's retry. */
const unanswered: CloudAnswer = {
  fail: { errCode: -504002, errMsg: 'cloud.callFunction:fail functions execute fail' },
};
const tap = (dataset: Record<string, string>) => ({ currentTarget: { dataset } });
const field = (name: string, value: string) => ({ currentTarget: { dataset: { field: name } }, detail: { value } });

let h: Harness;
beforeEach(() => {
  h = setUp();
});

const openWith = (items: unknown[], hasMore = false) => openListAsAdmin(h, PAGE, items, hasMore);

test('S10 lists templates with a stock bar (claimed of total), stock left, claimed and redeemed', async () => {
  const page = await openWith([
    template(),
    unlimited,
    template({ templateId: 'tpl_paused', paused: true, totalStock: 0, claimed: 0, stockLeft: 0 }),
  ]);
  expect(actions(h.wx)).toEqual(['admin.staff.me', 'coupons.templates.list']);
  expect(inputOf(h.wx, 'coupons.templates.list')).toEqual({ page: 0 });
  expect(page.data.status).toBe('ready');
  expect(page.data.items[0]).toMatchObject({
    name: '春装满 500 减 50',
    benefit: '减 ¥50',
    terms: '满 ¥500 可用 · 领取后 14 天内有效 · 每人限 1 张',
    channels: '领券中心',
    limited: true,
    usedPercent: 40,
    stockText: '剩余 60 / 100 张',
    counts: '已领 40 · 已核销 12',
    state: '发放中',
    paused: false,
  });
  expect(page.data.items[1]).toMatchObject({
    benefit: '9 折',
    channels: '积分商城 · 300 积分',
    limited: false,
    stockText: '不限量',
    counts: '已领 7 · 已核销 2',
    terms: '无门槛 · 领取后 14 天内有效 · 每人不限',
  });
  expect(page.data.items[2]).toMatchObject({ state: '已暂停', paused: true, usedPercent: 100 });
});

test('a store manager sees why the page is empty and nothing is asked of the server; an error offers a retry', async () => {
  h.wx.answers.push(ok({ staff: manager }));
  const page = await openLoaded(h.wx, PAGE);
  expect(page.data).toMatchObject({ status: 'empty', emptyText: '仅品牌管理员可管理券模板' });
  expect(actions(h.wx)).toEqual(['admin.staff.me']);

  const h2 = setUp();
  h2.wx.answers.push(
    ok({ staff: admin }),
    refused('INTERNAL', '服务繁忙'),
    ok({ items: [template()], page: 0, pageSize: 20, hasMore: false }),
  );
  const again = await openLoaded(h2.wx, PAGE);
  expect(again.data).toMatchObject({ status: 'error', message: '服务繁忙，请稍后重试' });
  run(again, 'retry');
  await settle();
  expect(again.data.status).toBe('ready');
});

test('S10 create: the form is checked first, confirmed, then sent once per intent (a retry after no answer reuses the request id)', async () => {
  const page = await openWith([]);
  expect(page.data.status).toBe('empty');
  run(page, 'toggleForm');
  expect(page.data).toMatchObject({ formOpen: true, status: 'ready' });
  await run(page, 'create');
  expect(page.data.formError).toBe('请填写名称');
  run(page, 'onField', field('name', '  夏装满 300 减 30 '));
  run(page, 'onField', field('amount', '30'));
  run(page, 'onField', field('minSpend', '300'));
  run(page, 'onField', field('stock', '500'));
  run(page, 'pickChannel', tap({ value: 'pointsMall' }));
  await run(page, 'create');
  expect(page.data.formError).toBe('积分商城券须填写积分价格（正整数）');
  run(page, 'pickChannel', tap({ value: 'claimCentre' }));
  expect(actions(h.wx)).toEqual(['admin.staff.me', 'coupons.templates.list']);

  h.modalAnswers.push(false);
  await run(page, 'create');
  expect(h.modals).toEqual(['创建券模板“夏装满 300 减 30”？']);
  expect(actions(h.wx)).toHaveLength(2);

  h.wx.answers.push(unanswered);
  await run(page, 'create');
  expect(page.data.formError).toContain('网络');
  const sent = inputOf(h.wx, 'coupons.templates.create');
  expect(sent).toEqual({
    name: { zh: '夏装满 300 减 30' },
    benefit: { kind: 'amountOff', amountFen: 3000 },
    minSpendFen: 30000,
    validity: { kind: 'daysAfterClaim', days: 30 },
    totalStock: 500,
    perMemberLimit: 1,
    channels: ['claimCentre'],
    requestId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
  });
  const created = template({
    templateId: 'tpl_summer',
    name: { zh: '夏装满 300 减 30' },
    totalStock: 500,
    claimed: 0,
    redeemed: 0,
    stockLeft: 500,
  });
  h.wx.answers.push(ok({ template: created, replayed: false }));
  await run(page, 'create');
  expect(inputOf(h.wx, 'coupons.templates.create', 1)!.requestId).toBe(sent!.requestId);
  expect(page.data).toMatchObject({
    formOpen: false,
    formError: '',
    status: 'ready',
    items: [{ templateId: 'tpl_summer', stockText: '剩余 500 / 500 张', usedPercent: 0 }],
  });
  expect(h.wx.toasts).toEqual(['已创建']);
  // the next template is a new intent
  run(page, 'toggleForm');
  run(page, 'onField', field('name', '秋装'));
  run(page, 'pickKind', tap({ value: 'gift' }));
  run(page, 'onField', field('gift', '丝巾'));
  h.wx.answers.push(refused('TEMPLATE_EXISTS', '券模板编号已存在'));
  await run(page, 'create');
  expect(inputOf(h.wx, 'coupons.templates.create', 2)).toMatchObject({
    benefit: { kind: 'gift', gift: { zh: '丝巾' } },
  });
  expect(inputOf(h.wx, 'coupons.templates.create', 2)!.requestId).not.toBe(sent!.requestId);
  expect(page.data.formError).toBe('已有同名券模板（TEMPLATE_EXISTS）');
});

test('S10 stock: + and − by the chosen step after a confirmation naming what is claimed; a refusal says why', async () => {
  const page = await openWith([template()]);
  run(page, 'pickStep', tap({ value: '100' }));
  h.wx.answers.push(refused('STOCK_BELOW_CLAIMED', '库存不能少于已领取的 40 张'));
  await run(page, 'removeStock', tap({ id: 'tpl_spring_50' }));
  expect(h.modals).toEqual(['为“春装满 500 减 50”减少 100 张库存？（不能少于已领取的 40 张）']);
  expect(inputOf(h.wx, 'coupons.templates.stock')).toEqual({
    templateId: 'tpl_spring_50',
    delta: -100,
    requestId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
  });
  expect(page.data.actionError).toBe('库存不能少于已领取数量（STOCK_BELOW_CLAIMED）');
  expect(page.data.items[0].stockText).toBe('剩余 60 / 100 张');

  h.wx.answers.push(ok({ template: template({ totalStock: 200, stockLeft: 160 }), replayed: false }));
  await run(page, 'addStock', tap({ id: 'tpl_spring_50' }));
  expect(inputOf(h.wx, 'coupons.templates.stock', 1)).toMatchObject({ templateId: 'tpl_spring_50', delta: 100 });
  expect(page.data.items[0]).toMatchObject({ stockText: '剩余 160 / 200 张', usedPercent: 20 });
  expect(h.wx.toasts).toEqual(['库存已更新']);

  h.modalAnswers.push(false);
  await run(page, 'addStock', tap({ id: 'tpl_spring_50' }));
  expect(actions(h.wx).filter((a) => a === 'coupons.templates.stock')).toHaveLength(2);
});

test('S10 pause and resume, each confirmed; declining sends nothing', async () => {
  const page = await openWith([template()]);
  h.modalAnswers.push(false);
  await run(page, 'togglePause', tap({ id: 'tpl_spring_50' }));
  expect(actions(h.wx)).not.toContain('coupons.templates.pause');
  h.wx.answers.push(ok({ template: template({ paused: true }), changed: true }));
  await run(page, 'togglePause', tap({ id: 'tpl_spring_50' }));
  expect(h.modals[1]).toContain('暂停“春装满 500 减 50”？暂停后会员不能再领取');
  expect(inputOf(h.wx, 'coupons.templates.pause')).toEqual({ templateId: 'tpl_spring_50', paused: true });
  expect(page.data.items[0]).toMatchObject({ paused: true, state: '已暂停' });
  h.wx.answers.push(ok({ template: template(), changed: true }));
  await run(page, 'togglePause', tap({ id: 'tpl_spring_50' }));
  expect(inputOf(h.wx, 'coupons.templates.pause', 1)).toEqual({ templateId: 'tpl_spring_50', paused: false });
  expect(page.data.items[0].state).toBe('发放中');
  expect(h.wx.toasts).toEqual(['已暂停发放', '已恢复发放']);
});

test('pages of 20: more asks for the next page and appends; pull-down reloads the first', async () => {
  const page = await openWith([template()], true);
  h.wx.answers.push(ok({ items: [unlimited], page: 1, pageSize: 20, hasMore: false }));
  await run(page, 'onReachBottom');
  expect(inputOf(h.wx, 'coupons.templates.list', 1)).toEqual({ page: 1 });
  expect(page.data.items.map((i: { templateId: string }) => i.templateId)).toEqual(['tpl_spring_50', 'tpl_mall_30']);
  expect(page.data.hasMore).toBe(false);
  h.wx.answers.push(ok({ items: [template()], page: 0, pageSize: 20, hasMore: false }));
  run(page, 'onPullDownRefresh');
  await settle();
  expect(page.data.items).toHaveLength(1);
  expect(h.wx.pullDownStops).toBe(1);
});

test('English wording', async () => {
  h.wx.storage.set('lang', 'en');
  const page = await openWith([template()]);
  expect(page.data.items[0]).toMatchObject({
    name: 'Spring: 50 off 500',
    stockText: '60 of 100 left',
    counts: '40 claimed · 12 redeemed',
    state: 'Issuing',
  });
});
