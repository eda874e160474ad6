import { ok, refused } from '../../support/miniprogram/fake-wx';
import { admin, advisor, inputOf, manager } from './fixtures-core';
import { actions, openLoaded, run, settle, setUp, tapWith, type Harness } from './fixtures-manage';

/** Insight reports (managers and admins): one report a time as chart and table, CSV to the clipboard or a file. */
const PAGE = 'packageAdmin/pages/insight/index';
const report = (kind: string, columns: string[], rows: (string | number | null)[][], csv: string | null = null) =>
  ok({ kind, from: '2026-02-01', to: '2026-04-30', columns, rows, csv, asOf: rows.length ? '2026-04-30' : null });
const LIFECYCLE = report(
  'lifecycle',
  ['week', 'from', 'to', 'cause', 'members'],
  [
    ['2026-W16', 'window', 'first_time', 'order', 5],
    ['2026-W16', 'first_time', 'repeat', 'order', 2],
    ['2026-W17', 'window', 'first_time', 'order', 3],
    ['2026-W17', 'repeat', 'lapsed', 'review', 1],
  ],
);

let h: Harness;
let copied: string[];
beforeEach(() => {
  h = setUp();
  copied = [];
  Object.assign(h.wx.api, {
    setClipboardData: (o: { data: string; success?: () => void }) => {
      copied.push(o.data);
      o.success?.();
    },
  });
});

async function openAs(staff: unknown, answer = LIFECYCLE) {
  h.wx.routes['admin.staff.me'] = ok({ staff });
  h.wx.routes['admin.insight.report'] = answer;
  return openLoaded(h.wx, PAGE);
}
const DAY = 86_400_000;
const span = (r: { from: string; to: string }) => (Date.parse(r.to) - Date.parse(r.from)) / DAY + 1;

test('an advisor sees that the reports are for managers, and nothing is read', async () => {
  const p = await openAs(advisor);
  expect(p.data).toMatchObject({ status: 'empty', emptyText: '仅店长和品牌管理员可查看洞察报表', emptyHint: '' });
  expect(actions(h.wx)).toEqual(['admin.staff.me']);
});

test('lifecycle flows: members reaching each stage per week as columns, the table with stages by name', async () => {
  const p = await openAs(manager);
  const sent = inputOf(h.wx, 'admin.insight.report')!;
  expect(sent).toMatchObject({ kind: 'lifecycle' });
  expect(span(sent as { from: string; to: string })).toBe(90);
  expect(p.data.status).toBe('ready');
  expect(p.data.chart).toEqual({
    type: 'column',
    percent: false,
    categories: ['2026-W16', '2026-W17'],
    series: [
      { name: '首购客', data: [5, 3] },
      { name: '复购客', data: [2, 0] },
      { name: '流失客', data: [0, 1] },
    ],
  });
  expect(p.data.head).toEqual(['周', '原阶段', '新阶段', '原因', '人数']);
  expect(p.data.cells[3]).toEqual(['2026-W17', '复购客', '流失客', 'review', '1']);
  expect(p.data.asOfText).toBe('数据截至 2026-04-30');
});

test('each report as its chart: referral lines, unfollows by stage, retention shares, messaging funnels', async () => {
  const p = await openAs(admin);
  h.wx.routes['admin.insight.report'] = report(
    'referral',
    ['date', 'opened', 'joined', 'rate'],
    [
      ['2026-04-29', 10, 2, 0.2],
      ['2026-04-30', 4, null, null],
    ],
  );
  run(p, 'pickKind', tapWith({ kind: 'referral' }));
  expect(p.data.status).toBe('loading');
  await settle();
  expect(p.data.chart).toMatchObject({
    type: 'line',
    categories: ['04-29', '04-30'],
    series: [
      { name: '打开', data: [10, 4] },
      { name: '入会', data: [2, null] },
    ],
  });
  expect(p.data.cells).toEqual([
    ['2026-04-29', '10', '2', '20.0%'],
    ['2026-04-30', '4', '', ''],
  ]);

  const unfollow = report('unfollow', ['group', 'followers', 'unfollows', 'rate'], [['loyal', 200, 4, 0.02]]);
  h.wx.routes['admin.insight.report'] = unfollow;
  run(p, 'pickKind', tapWith({ kind: 'unfollow' }));
  await settle();
  expect(p.data.chart).toMatchObject({
    type: 'column',
    categories: ['loyal'],
    series: [
      { name: '关注', data: [200] },
      { name: '取关', data: [4] },
    ],
  });

  h.wx.routes['admin.insight.report'] = report(
    'retention',
    ['cohort', 'joined', 'm0', 'm1', 'm2'],
    [
      ['2026-02', 50, 20, 10, 5],
      ['2026-03', 40, 8, 4, null],
    ],
  );
  run(p, 'pickKind', tapWith({ kind: 'retention' }));
  await settle();
  expect(p.data.chart).toEqual({
    type: 'line',
    percent: true,
    categories: ['M0', 'M1', 'M2'],
    series: [
      { name: '2026-02', data: [0.4, 0.2, 0.1] },
      { name: '2026-03', data: [0.2, 0.1, null] },
    ],
  });

  const messagingColumns = ['kind', 'id', 'name', 'entered', 'sent', 'skipped_opted_out', 'converted'];
  h.wx.routes['admin.insight.report'] = report('messaging', messagingColumns, [
    ['journey', 'welcome', '新客欢迎', 120, 100, 8, 30],
    ['campaign', 'cmp-1', '春装上新', 400, 380, 12, 41],
  ]);
  run(p, 'pickKind', tapWith({ kind: 'messaging' }));
  await settle();
  expect(p.data.chart).toMatchObject({
    type: 'column',
    categories: ['新客欢迎', '春装上新'],
    series: [
      { name: '进入', data: [120, 400] },
      { name: '已发送', data: [100, 380] },
      { name: '转化', data: [30, 41] },
    ],
  });
  expect(p.data.head).toEqual(['类型', '编号', '名称', '进入', '已发送', '跳过·已退订', '转化']);
  expect(actions(h.wx).filter((a) => a === 'admin.insight.report')).toHaveLength(5);
  expect(inputOf(h.wx, 'admin.insight.report', 3)).toMatchObject({ kind: 'retention' });
});

test('a longer period reads again; an empty report says there are no statistics yet', async () => {
  const p = await openAs(admin);
  h.wx.routes['admin.insight.report'] = report('lifecycle', ['week', 'from', 'to', 'cause', 'members'], []);
  run(p, 'pickDays', tapWith({ days: '365' }));
  await settle();
  expect(span(inputOf(h.wx, 'admin.insight.report', 1) as { from: string; to: string })).toBe(365);
  expect(p.data).toMatchObject({ status: 'empty', emptyText: '该时间段还没有统计数据', days: 365 });
});

test('CSV: asked from the server and copied to the clipboard; a refused export is said, the table stays', async () => {
  const p = await openAs(admin);
  expect(p.data.canSave).toBe(false);
  const csv = 'week,from,to,cause,members\n2026-W16,window,first_time,order,5\n';
  h.wx.routes['admin.insight.report'] = report('lifecycle', ['week'], [], csv);
  await run(p, 'copyCsv');
  expect(inputOf(h.wx, 'admin.insight.report', 1)).toMatchObject({ kind: 'lifecycle', format: 'csv' });
  expect(copied).toEqual([csv]);
  expect(h.wx.toasts).toEqual(['CSV 已复制']);
  h.wx.routes['admin.insight.report'] = refused('INTERNAL', 'busy');
  await run(p, 'copyCsv');
  expect(p.data.exportError).not.toBe('');
  expect(copied).toHaveLength(1);
  expect(p.data.cells).toHaveLength(4);
});

test('CSV: saved as a file (with a BOM) and opened where the phone has a file system', async () => {
  const written: { filePath: string; data: string }[] = [];
  const opened: string[] = [];
  Object.assign(h.wx.api, {
    env: { USER_DATA_PATH: 'wxfile://usr' },
    getFileSystemManager: () => ({
      writeFile: (o: { filePath: string; data: string; success?: () => void }) => {
        written.push({ filePath: o.filePath, data: o.data });
        o.success?.();
      },
    }),
    openDocument: (o: { filePath: string; complete?: () => void }) => {
      opened.push(o.filePath);
      o.complete?.();
    },
  });
  const p = await openAs(admin);
  expect(p.data.canSave).toBe(true);
  h.wx.routes['admin.insight.report'] = report('lifecycle', ['week'], [], 'week\n2026-W16\n');
  await run(p, 'saveCsv');
  const { from, to } = p.data.range as { from: string; to: string };
  const file = `lifecycle-${from}-${to}.csv`;
  expect(written).toEqual([{ filePath: `wxfile://usr/${file}`, data: '\ufeffweek\n2026-W16\n' }]);
  expect(opened).toEqual([`wxfile://usr/${file}`]);
  expect(h.wx.toasts).toEqual([`已保存 ${file}`]);
});

test('English: report names, columns and stages in English', async () => {
  h.wx.storage.set('lang', 'en');
  const p = await openAs(admin);
  expect(p.data.kinds.map((k: { label: string }) => k.label)).toEqual([
    'Lifecycle flows',
    'Journey & campaign funnels',
    'Referral funnel',
    'Unfollows by stage',
    'Retention by join month',
  ]);
  expect(p.data.head).toEqual(['Week', 'From', 'To', 'Cause', 'Members']);
  expect(p.data.chart.series.map((s: { name: string }) => s.name)).toEqual(['First-time', 'Repeat', 'Lapsed']);
});
