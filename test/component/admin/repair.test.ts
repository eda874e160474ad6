import { ok, refused } from '../../support/miniprogram/fake-wx';
import { openPage } from '../../support/miniprogram/page-harness';
import { admin, advisor, setUp, type Harness } from './fixtures-core';
import { actions, openLoaded, run } from './fixtures-manage';

/** The member data repair page (brand admin): the lifecycle rebuild's progress, a confirmed start, polling. */
const PAGE = 'packageAdmin/pages/repair/index';
const progress = (patch: Record<string, unknown> = {}) => ({
  at: '2026-05-01T02:00:00.000Z',
  members: 1200,
  written: 37,
  stageChanges: 5,
  done: false,
  ...patch,
});

let h: Harness;
beforeEach(() => {
  h = setUp();
  h.wx.routes['admin.staff.me'] = ok({ staff: admin });
});
afterEach(() => {
  jest.useRealTimers();
});

/** Lets the page's calls and timers run `ms` of fake time. */
async function pass(ms = 0) {
  for (let i = 0; i < 5; i++) await jest.advanceTimersByTimeAsync(i === 0 ? ms : 0);
}
/** Opens the page with fake timers, so its polling is driven by `pass`. */
async function openPolling() {
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
  const p = openPage(PAGE);
  run(p, 'onLoad', {});
  await pass();
  expect(p.data.status).toBe('ready');
  return p;
}
const progressCalls = () => actions(h.wx).filter((a) => a === 'admin.lifecycle.rebuildProgress').length;

test('staff without the right see why, and nothing else is read', async () => {
  h.wx.routes['admin.staff.me'] = ok({ staff: advisor });
  const p = await openLoaded(h.wx, PAGE);
  expect(p.data).toMatchObject({ status: 'empty', emptyText: '仅品牌管理员可运行会员数据修复' });
  expect(actions(h.wx)).toEqual(['admin.staff.me']);
});

test('a rebuild never run says so; a finished one shows its figures in Shanghai time', async () => {
  h.wx.routes['admin.lifecycle.rebuildProgress'] = ok({ rebuild: null });
  const p = await openLoaded(h.wx, PAGE);
  expect(p.data).toMatchObject({ status: 'ready', stateLine: '尚未运行过修复', rebuild: null, running: false });

  h.wx.routes['admin.lifecycle.rebuildProgress'] = ok({ rebuild: progress({ done: true }) });
  await run(p, 'onPullDownRefresh');
  expect(p.data).toMatchObject({ stateLine: '修复已完成', atLine: '2026-05-01 10:00', running: false });
  expect(p.data.rebuild).toMatchObject({ members: 1200, written: 37, stageChanges: 5 });
});

test('a failed load shows the error with a retry', async () => {
  h.wx.routes['admin.lifecycle.rebuildProgress'] = refused('INTERNAL', 'boom');
  const p = await openLoaded(h.wx, PAGE);
  expect(p.data.status).toBe('error');
  expect(p.data.message).not.toBe('');
});

test('start asks first; cancelled, nothing starts; confirmed, it starts and polls until done', async () => {
  h.wx.routes['admin.lifecycle.rebuildProgress'] = ok({ rebuild: null });
  const p = await openPolling();

  h.modalAnswers.push(false);
  run(p, 'start');
  await pass();
  expect(h.modals[0]).toContain('不发送任何消息');
  expect(actions(h.wx)).not.toContain('admin.lifecycle.rebuild');

  h.wx.routes['admin.lifecycle.rebuild'] = ok(progress({ members: 100, written: 3 }));
  h.wx.routes['admin.lifecycle.rebuildProgress'] = ok({ rebuild: progress() });
  run(p, 'start');
  await pass();
  expect(actions(h.wx).filter((a) => a === 'admin.lifecycle.rebuild')).toHaveLength(1);
  expect(p.data).toMatchObject({ stateLine: '修复进行中', running: true, rebuild: { members: 100, written: 3 } });

  const before = progressCalls();
  await pass(3000);
  expect(progressCalls()).toBe(before + 1);
  expect(p.data.rebuild).toMatchObject({ members: 1200 });

  h.wx.routes['admin.lifecycle.rebuildProgress'] = ok({ rebuild: progress({ members: 5000, done: true }) });
  await pass(3000);
  expect(p.data).toMatchObject({ stateLine: '修复已完成', running: false, rebuild: { members: 5000 } });
  await pass(30000);
  expect(progressCalls()).toBe(before + 2);
});

test('polling stops while the page is hidden and resumes when shown', async () => {
  h.wx.routes['admin.lifecycle.rebuildProgress'] = ok({ rebuild: progress() });
  const p = await openPolling();
  const before = progressCalls();
  run(p, 'onHide');
  await pass(30000);
  expect(progressCalls()).toBe(before);
  run(p, 'onShow');
  await pass();
  expect(progressCalls()).toBe(before + 1);
  run(p, 'onUnload');
  await pass(30000);
  expect(progressCalls()).toBe(before + 1);
});

test('a refusal to start is said in the page words', async () => {
  h.wx.routes['admin.lifecycle.rebuildProgress'] = ok({ rebuild: null });
  h.wx.routes['admin.lifecycle.rebuild'] = refused('FORBIDDEN', 'not allowed');
  const p = await openLoaded(h.wx, PAGE);
  await run(p, 'start');
  expect(p.data).toMatchObject({ error: '仅品牌管理员可运行会员数据修复', busy: false, running: false });
});
