import { ok, refused } from '../../support/miniprogram/fake-wx';
import { actions, inputOf, openLoaded, run, settle } from '../../support/miniprogram/page-calls';
import { admin, manager, openListAsAdmin, setUp, type Harness } from './fixtures-core';

/** Journeys (S16–S19, brand admin): a switch per journey, confirmed first, and figures per step. */
const PAGE = 'packageAdmin/pages/journeys/index';

const journey = (patch: Record<string, unknown> = {}) => ({
  id: 'unpaid-order-reminder',
  name: '未付款订单提醒',
  description: 'S16 payment reminder',
  enabled: true,
  status: 'live',
  version: 2,
  trigger: 'order.created',
  totals: { entered: 30, active: 4, completed: 20, exited: 6, sent: 19, converted: 5 },
  steps: [
    { id: 'wait-30m', type: 'wait', detail: '30m', reached: 30, waiting: 4, sent: 0, converted: 0 },
    {
      id: 'remind',
      type: 'send',
      detail: 'subscribe:order_unpaid_reminder',
      reached: 20,
      waiting: 0,
      sent: 19,
      converted: 5,
    },
  ],
  ...patch,
});
const birthday = journey({
  id: 'birthday-greeting',
  name: '生日祝福',
  description: null,
  enabled: false,
  status: 'draft',
  version: 0,
  trigger: 'birthday',
  totals: { entered: 0, active: 0, completed: 0, exited: 0, sent: 0, converted: 0 },
  steps: [],
});
const toggle = (id: string, value: boolean) => ({ currentTarget: { dataset: { id } }, detail: { value } });

let h: Harness;
beforeEach(() => {
  h = setUp();
});

const openWith = (items: unknown[], hasMore = false) => openListAsAdmin(h, PAGE, items, hasMore);

test('S16 each journey shows its switch, trigger, totals and a line per step with reached, waiting, sent and converted', async () => {
  const page = await openWith([journey(), birthday]);
  expect(actions(h.wx)).toEqual(['admin.staff.me', 'messaging.journeys.list']);
  expect(page.data.status).toBe('ready');
  expect(page.data.items[0]).toEqual({
    id: 'unpaid-order-reminder',
    name: '未付款订单提醒',
    description: 'S16 payment reminder',
    enabled: true,
    trigger: '触发：下单',
    active: 4,
    version: '已发布 · 第 2 版',
    totals: '进入 30 · 进行中 4 · 完成 20 · 退出 6',
    sentTotals: '已发送 19 · 转化 5',
    steps: [
      { id: 'wait-30m', label: '等待 · 30m', figures: '到达 30 · 等待 4', messages: '' },
      {
        id: 'remind',
        label: '发送消息 · subscribe:order_unpaid_reminder',
        figures: '到达 20 · 等待 0',
        messages: '发送 19 · 转化 5',
      },
    ],
  });
  const second = { enabled: false, trigger: '触发：生日', description: '', steps: [], version: '草稿' };
  expect(page.data.items[1]).toMatchObject(second);
});

test('S16 switching off asks first, naming the members who will leave; declining keeps it on and sends nothing', async () => {
  const page = await openWith([journey()]);
  h.modalAnswers.push(false);
  await run(page, 'toggle', toggle('unpaid-order-reminder', false));
  expect(h.modals).toEqual([
    '停用“未付款订单提醒”？不再有新会员进入；正在进行中的 4 位会员会在下一步退出旅程，不再收到消息。',
  ]);
  expect(actions(h.wx)).not.toContain('messaging.journeys.setEnabled');
  expect(page.data.items[0].enabled).toBe(true);

  h.wx.answers.push(ok({ id: 'unpaid-order-reminder', enabled: false, changed: true, activeRuns: 4 }));
  await run(page, 'toggle', toggle('unpaid-order-reminder', false));
  expect(inputOf(h.wx, 'messaging.journeys.setEnabled')).toEqual({
    journeyId: 'unpaid-order-reminder',
    enabled: false,
  });
  expect(page.data.items[0].enabled).toBe(false);
  expect(h.wx.toasts).toEqual(['已停用']);

  h.wx.answers.push(ok({ id: 'unpaid-order-reminder', enabled: true, changed: true, activeRuns: 0 }));
  await run(page, 'toggle', toggle('unpaid-order-reminder', true));
  expect(h.modals[2]).toBe('启用“未付款订单提醒”？之后发生的触发事件会让会员进入此旅程。');
  expect(inputOf(h.wx, 'messaging.journeys.setEnabled', 1)).toEqual({
    journeyId: 'unpaid-order-reminder',
    enabled: true,
  });
  expect(page.data.items[0]).toMatchObject({ enabled: true, active: 0 });
});

test('a refused switch stays where it was and says why', async () => {
  const page = await openWith([journey()]);
  h.wx.answers.push(refused('FORBIDDEN', '当前角色无权进行此操作'));
  await run(page, 'toggle', toggle('unpaid-order-reminder', false));
  expect(page.data.items[0].enabled).toBe(true);
  expect(page.data).toMatchObject({ actionError: '没有权限进行此操作（FORBIDDEN）', busy: '' });
});

test('only brand admins: others see why; loading errors offer a retry; pages load on reaching the bottom', async () => {
  h.wx.answers.push(ok({ staff: manager }));
  const denied = await openLoaded(h.wx, PAGE);
  expect(denied.data).toMatchObject({ status: 'empty', emptyText: '仅品牌管理员可管理旅程' });
  expect(actions(h.wx)).toEqual(['admin.staff.me']);

  h = setUp();
  h.wx.answers.push(
    ok({ staff: admin }),
    refused('INTERNAL', '服务繁忙'),
    ok({ items: [journey()], page: 0, pageSize: 20, hasMore: true }),
  );
  const page = await openLoaded(h.wx, PAGE);
  expect(page.data).toMatchObject({ status: 'error', message: '服务繁忙，请稍后重试' });
  run(page, 'retry');
  await settle();
  expect(page.data).toMatchObject({ status: 'ready', hasMore: true });
  h.wx.answers.push(ok({ items: [birthday], page: 1, pageSize: 20, hasMore: false }));
  await run(page, 'onReachBottom');
  expect(inputOf(h.wx, 'messaging.journeys.list', 2)).toEqual({ page: 1 });
  expect(page.data.items.map((i: { id: string }) => i.id)).toEqual(['unpaid-order-reminder', 'birthday-greeting']);
});

test('English wording', async () => {
  h.wx.storage.set('lang', 'en');
  const page = await openWith([journey()]);
  expect(page.data.items[0]).toMatchObject({
    trigger: 'Trigger: Order created',
    totals: '30 entered · 4 active · 20 completed · 6 exited',
  });
  expect(page.data.items[0].steps[1]).toMatchObject({
    label: 'Message · subscribe:order_unpaid_reminder',
    messages: '19 sent · 5 converted',
  });
});
