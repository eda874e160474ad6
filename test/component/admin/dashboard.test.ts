import { join } from 'node:path';
import { builtApp } from '../../support/miniprogram/built-app';
import { ok, refused, type FakeWx } from '../../support/miniprogram/fake-wx';
import { run, settle } from '../../support/miniprogram/page-harness';
import { actions, openLoaded, setUp } from '../member/fixtures';

const DASHBOARD = 'packageAdmin/pages/dashboard/index';
const DAY_MS = 86_400_000;

/** YYYY-MM-DD in Shanghai, `back` days before today. */
const shanghaiDay = (back: number) => new Date(Date.now() + 8 * 3_600_000 - back * DAY_MS).toISOString().slice(0, 10);

const stages = (patch: Record<string, number> = {}) => ({
  anonymous: 0,
  window: 2,
  first_time: 1,
  repeat: 0,
  loyal: 0,
  indecisive: 0,
  lapsed: 0,
  none: 1,
  ...patch,
});
const day = (date: string, patch: Record<string, unknown> = {}) => ({
  date,
  followers: 4,
  members: 2,
  paidCustomers: 1,
  paidAmongFollowers: 0.25,
  newMembers: 1,
  stages: stages(),
  couponRedemptionRate: null,
  appointmentFillRate: null,
  referralConversions: null,
  referralOpens: null,
  ...patch,
});
const summary = (days: ReturnType<typeof day>[], from = '2026-04-01', to = '2026-04-30') => ({
  from,
  to,
  days,
  latest: days.at(-1) ?? null,
});
const threeDays = [
  day('2026-04-28', { followers: 4, paidAmongFollowers: 0, newMembers: 2, couponRedemptionRate: 0.5 }),
  day('2026-04-29', { followers: 5, paidAmongFollowers: 0.2, newMembers: 0 }),
  day('2026-04-30', {
    followers: 8,
    members: 3,
    paidAmongFollowers: 0.375,
    newMembers: 1,
    couponRedemptionRate: 0.25,
    appointmentFillRate: 0.8,
    stages: stages({ first_time: 2, repeat: 1, none: 3 }),
  }),
];
const summaryCalls = (wx: FakeWx) => wx.calls.filter((c) => c.name === 'admin').map((c) => c.data);

let wx: FakeWx;
beforeEach(() => {
  ({ wx } = setUp());
});

describe('dashboard page', () => {
  test('S21 seed 000: the figures, the paid-among-followers trend, stages, new members and rates come from the daily rows', async () => {
    wx.answers.push(ok(summary(threeDays)));
    const page = await openLoaded(wx, DASHBOARD);
    expect(actions(wx)).toEqual(['admin.dashboard.summary']);
    expect(summaryCalls(wx)).toEqual([{ action: 'dashboard.summary', from: shanghaiDay(30), to: shanghaiDay(1) }]);
    expect(page.data).toMatchObject({
      status: 'ready',
      preset: 30,
      range: { from: shanghaiDay(30), to: shanghaiDay(1) },
    });
    expect(page.data.figures).toEqual([
      { id: 'paid-share', label: '付费粉丝占比', value: '37.5%', hint: '付费粉丝 3 / 粉丝 8 · 较期初 +37.5 个百分点' },
      { id: 'followers', label: '公众号粉丝', value: '8', hint: '截至 2026-04-30' },
      { id: 'members', label: '会员', value: '3', hint: '截至 2026-04-30' },
      { id: 'new-members', label: '期间新会员', value: '3', hint: '2026-04-28 至 2026-04-30' },
      { id: 'coupon-rate', label: '优惠券核销率', value: '37.5%', hint: '2026-04-28 至 2026-04-30' },
      { id: 'fill-rate', label: '预约满座率', value: '80.0%', hint: '2026-04-28 至 2026-04-30' },
    ]);
    expect(page.data.trend).toEqual({
      categories: ['04-28', '04-29', '04-30'],
      series: [{ name: '付费粉丝占比', data: [0, 0.2, 0.375] }],
    });
    expect(page.data.trendLabel).toBe('付费粉丝占比趋势图，最新 37.5%');
    expect(page.data.daily).toEqual({
      categories: ['04-28', '04-29', '04-30'],
      series: [{ name: '新会员', data: [2, 0, 1] }],
    });
    expect(page.data.rates.series).toEqual([
      { name: '优惠券核销率', data: [0.5, null, 0.25] },
      { name: '预约满座率', data: [null, null, 0.8] },
    ]);
    expect(page.data.hasRates).toBe(true);
    // the latest day's stages in lifecycle order; the ring leaves out empty stages
    expect(
      page.data.stageBars.map((b: { stage: string; count: string; share: string }) => [b.stage, b.count, b.share]),
    ).toEqual([
      ['anonymous', '0 人', '0.0%'],
      ['window', '2 人', '25.0%'],
      ['first_time', '2 人', '25.0%'],
      ['repeat', '1 人', '12.5%'],
      ['loyal', '0 人', '0.0%'],
      ['indecisive', '0 人', '0.0%'],
      ['lapsed', '0 人', '0.0%'],
      ['none', '3 人', '37.5%'],
    ]);
    expect(page.data.stageChart).toEqual({
      categories: ['浏览未购', '首购', '复购', '未分阶段'],
      series: [{ name: '生命周期阶段分布', data: [2, 2, 1, 3] }],
    });
  });

  test('S21 referral conversions are charted beside new members when the daily rows carry them', async () => {
    wx.answers.push(
      ok(summary([day('2026-04-29', { referralConversions: 2 }), day('2026-04-30', { referralConversions: 0 })])),
    );
    const page = await openLoaded(wx, DASHBOARD);
    expect(page.data.daily.series).toEqual([
      { name: '新会员', data: [1, 1] },
      { name: '推荐转化', data: [2, 0] },
    ]);
  });

  test('S21 referral conversions: days computed before referrals were counted stay gaps in the series, not zeros', async () => {
    wx.answers.push(
      ok(
        summary([
          day('2026-04-28', { newMembers: 3 }),
          day('2026-04-29', { newMembers: 2, referralConversions: 1, referralOpens: 4 }),
          day('2026-04-30', { newMembers: 0, referralConversions: 0, referralOpens: 0 }),
        ]),
      ),
    );
    const page = await openLoaded(wx, DASHBOARD);
    expect(page.data.daily).toEqual({
      categories: ['04-28', '04-29', '04-30'],
      series: [
        { name: '新会员', data: [3, 2, 0] },
        { name: '推荐转化', data: [null, 1, 0] },
      ],
    });
  });

  test('S21 range: a preset and each date picker send exactly the chosen dates; the preset chip follows', async () => {
    wx.answers.push(ok(summary(threeDays)), ok(summary(threeDays)), ok(summary(threeDays)), ok(summary(threeDays)));
    const page = await openLoaded(wx, DASHBOARD);
    run(page, 'pickPreset', { currentTarget: { dataset: { days: '7' } } });
    await settle();
    expect(summaryCalls(wx)[1]).toEqual({ action: 'dashboard.summary', from: shanghaiDay(7), to: shanghaiDay(1) });
    expect(page.data).toMatchObject({ preset: 7, range: { from: shanghaiDay(7), to: shanghaiDay(1) }, busy: false });

    run(page, 'onFromChange', { detail: { value: '2026-01-05' } });
    await settle();
    expect(summaryCalls(wx)[2]).toEqual({ action: 'dashboard.summary', from: '2026-01-05', to: shanghaiDay(1) });
    expect(page.data).toMatchObject({ preset: 0, range: { from: '2026-01-05', to: shanghaiDay(1) } });

    run(page, 'onToChange', { detail: { value: '2026-02-01' } });
    await settle();
    expect(summaryCalls(wx)[3]).toEqual({ action: 'dashboard.summary', from: '2026-01-05', to: '2026-02-01' });
    run(page, 'onToChange', { detail: { value: 'not a date' } });
    await settle();
    expect(summaryCalls(wx)).toHaveLength(4);
  });

  test('S21 RANGE_TOO_LONG: the refused range is not applied, its message shows, the figures stay', async () => {
    wx.answers.push(
      ok(summary(threeDays)),
      refused('RANGE_TOO_LONG', '日期范围需在 366 天内 / range must be 0–366 days'),
      ok(summary(threeDays)),
    );
    const page = await openLoaded(wx, DASHBOARD);
    const before = page.data.figures;
    run(page, 'onFromChange', { detail: { value: '2020-01-01' } });
    expect(page.data.busy).toBe(true);
    await settle();
    expect(summaryCalls(wx)[1]).toEqual({ action: 'dashboard.summary', from: '2020-01-01', to: shanghaiDay(1) });
    expect(page.data).toMatchObject({
      status: 'ready',
      rangeError: '日期范围过长，请缩短后重试',
      preset: 30,
      range: { from: shanghaiDay(30), to: shanghaiDay(1) },
    });
    expect(page.data.figures).toEqual(before);
    // the next accepted range clears the message
    run(page, 'pickPreset', { currentTarget: { dataset: { days: '90' } } });
    await settle();
    expect(page.data).toMatchObject({ rangeError: '', preset: 90 });
  });

  test('no daily rows in the range: the empty state, with the hint when statistics are made', async () => {
    wx.answers.push(ok(summary([])));
    const page = await openLoaded(wx, DASHBOARD);
    expect(page.data).toMatchObject({ status: 'empty', figures: [], t: { empty: '所选日期内还没有每日统计' } });
  });

  test('a refusal shows the error state; retry and pull-to-refresh load again', async () => {
    wx.answers.push(refused('FORBIDDEN', '无权查看经营看板'), ok(summary(threeDays)), ok(summary([])));
    const page = await openLoaded(wx, DASHBOARD);
    expect(page.data).toMatchObject({ status: 'error', message: '没有权限进行此操作' });
    run(page, 'retry');
    expect(page.data.status).toBe('loading');
    await settle();
    expect(page.data.status).toBe('ready');
    run(page, 'onPullDownRefresh');
    await settle();
    expect(page.data.status).toBe('empty');
    expect(wx.pullDownStops).toBe(1);
    expect(summaryCalls(wx)).toHaveLength(3);
  });

  test('in English the figures and stages read in English', async () => {
    wx.storage.set('lang', 'en');
    wx.systemLanguage = 'en_US';
    wx.answers.push(ok(summary(threeDays)));
    const page = await openLoaded(wx, DASHBOARD);
    expect(page.data.lang).toBe('en');
    expect(page.data.figures[0]).toEqual({
      id: 'paid-share',
      label: 'Paid customers among followers',
      value: '37.5%',
      hint: '3 paying of 8 followers · +37.5 pts since the start',
    });
    expect(page.data.stageChart.categories).toEqual(['Window shopper', 'First purchase', 'Repeat', 'No stage']);
  });
});

/** The chart component's script from the build, run with a fake `Component()` (as the page harness does for pages). */
interface ChartDef {
  data: Record<string, unknown>;
  properties: Record<string, { value: unknown }>;
  lifetimes: { ready(this: ChartInstance): void };
  observers: Record<string, (this: ChartInstance) => void>;
  methods: Record<string, (this: ChartInstance) => void>;
}
interface ChartInstance {
  data: Record<string, unknown>;
  setData(p: Record<string, unknown>): void;
  draw(): void;
}
let chartDef: ChartDef | undefined;
function chart(props: Record<string, unknown>): ChartInstance {
  if (!chartDef) {
    (globalThis as { Component?: unknown }).Component = (d: ChartDef) => void (chartDef = d);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads a file chosen at run time by path
    require(join(builtApp().outDir, 'packageAdmin/components/trend-chart/index.js'));
  }
  const def = chartDef!;
  const defaults = Object.fromEntries(Object.entries(def.properties).map(([k, p]) => [k, p.value]));
  const inst: ChartInstance = {
    data: { ...defaults, ...def.data, ...props },
    setData(p) {
      Object.assign(this.data, p);
    },
    draw: () => undefined,
  };
  inst.draw = def.methods.draw!.bind(inst);
  return inst;
}

/** A W3C-like 2D context that records what is drawn (Node has no canvas). */
function recordingCanvas(width: number, height: number) {
  const calls: { name: string; args: unknown[] }[] = [];
  const ctx = new Proxy({} as Record<string | symbol, unknown>, {
    get(target, key) {
      if (key in target) return target[key];
      if (key === 'measureText') return (s: string) => ({ width: String(s).length * 6 });
      if (typeof key !== 'string' || key.startsWith('set') || key === 'draw') return undefined; // uCharts adds its own setters
      return (...args: unknown[]) => void calls.push({ name: key, args });
    },
    set(target, key, value) {
      target[key] = value;
      return true;
    },
  });
  const node = { width: 0, height: 0, getContext: (kind: string) => (kind === '2d' ? ctx : null) };
  const query = {
    in: () => query,
    select: (sel: string) => ({
      fields: (f: object) => ({
        exec: (cb: (r: unknown[]) => void) => cb([sel === '#chart' && 'node' in f ? { node, width, height } : null]),
      }),
    }),
  };
  return { calls, node, query };
}

describe('trend-chart component', () => {
  const data = {
    type: 'line',
    percent: true,
    categories: ['04-28', '04-29', '04-30'],
    series: [{ name: '付费粉丝占比', data: [0, 0.2, 0.375] }],
  };

  test('without a canvas node (no 2D context) it draws nothing and does not throw', () => {
    setUp();
    const noNode = {
      in: () => noNode,
      select: () => ({
        fields: () => ({ exec: (cb: (r: unknown[]) => void) => cb([{ node: null, width: 0, height: 0 }]) }),
      }),
    };
    (wx.api as Record<string, unknown>).createSelectorQuery = () => noNode;
    const c = chart(data);
    expect(() => chartDef!.lifetimes.ready.call(c)).not.toThrow();
    expect(c.data).toMatchObject({ drawn: 0, empty: false, attached: true });
    delete (wx.api as Record<string, unknown>).createSelectorQuery;
    expect(() => c.draw()).not.toThrow();
  });

  test('S21 with a 2D context it sizes the canvas by the pixel ratio and draws the line with percent axis labels', async () => {
    ({ wx } = setUp());
    const canvas = recordingCanvas(300, 200);
    Object.assign(wx.api, { createSelectorQuery: () => canvas.query, getWindowInfo: () => ({ pixelRatio: 2 }) });
    const c = chart(data);
    chartDef!.lifetimes.ready.call(c);
    await settle(20); // uCharts draws on a timer, then reports renderComplete
    expect(c.data.drawn).toBe(1);
    expect([canvas.node.width, canvas.node.height]).toEqual([600, 400]);
    const texts = canvas.calls.filter((k) => k.name === 'fillText').map((k) => String(k.args[0]));
    expect(texts).toEqual(expect.arrayContaining(['04-28', '04-30', '0%']));
    // the y axis reads in percent and reaches above the largest share (37.5 %)
    const axis = texts.filter((s) => /^\d+(\.\d)?%$/.test(s)).map((s) => parseFloat(s));
    expect(axis.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...axis)).toBeGreaterThanOrEqual(37.5);
    expect(canvas.calls.filter((k) => k.name === 'lineTo').length).toBeGreaterThanOrEqual(2);
    // new data draws again
    c.setData({ series: [{ name: 'x', data: [0.1, 0.1, 0.1] }] });
    chartDef!.observers['type, categories, series, percent']!.call(c);
    await settle(20);
    expect(c.data.drawn).toBe(2);
  });

  test('no figures: the empty text shows and the canvas is only cleared', async () => {
    ({ wx } = setUp());
    const canvas = recordingCanvas(300, 200);
    Object.assign(wx.api, { createSelectorQuery: () => canvas.query });
    const c = chart({ type: 'ring', categories: [], series: [{ name: 's', data: [] }] });
    chartDef!.lifetimes.ready.call(c);
    await settle(20);
    expect(c.data).toMatchObject({ empty: true, drawn: 0 });
    expect(canvas.calls.map((k) => k.name)).toEqual(['clearRect']);
  });
});
