/**
 * @jest-environment jsdom
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installFakeWx } from '../../support/miniprogram/fake-wx';
import { pointsHeader } from './fixtures-points';

/**
 * The member pages' templates rendered by miniprogram-simulate (j-component) from the real build:
 * the bindings the page tests fill in actually reach the screen. esbuild refuses to run inside
 * jsdom, so the build runs in a child process.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the package ships no ES module typings
const simulate = require('miniprogram-simulate') as {
  load(path: string, options: { rootPath: string }): string;
  render(id: string): Rendered;
};
/** The root tsconfig has no DOM lib; these are the few jsdom shapes used here. */
interface DomElement {
  textContent: string | null;
}
interface Node {
  dom: DomElement;
}
interface Rendered extends Node {
  attach(parent: unknown): void;
  setData(data: Record<string, unknown>): void;
  querySelector(selector: string): Node | undefined;
  querySelectorAll(selector: string): Node[];
}

let out = '';
const loaded = new Map<string, string>();
beforeAll(() => {
  out = join(mkdtempSync(join(tmpdir(), 'mp-render-')), 'miniprogram');
  execFileSync(process.execPath, ['scripts/run-ts.js', 'scripts/build-miniprogram.ts', out], {
    cwd: join(__dirname, '../../..'),
    stdio: 'pipe',
  });
}, 120_000);

function show(page: string, data: Record<string, unknown>): Rendered {
  (globalThis as { getApp?: unknown }).getApp = () => ({ globalData: {} });
  const fake = installFakeWx();
  const sys = {
    SDKVersion: '3.5.0',
    platform: 'devtools',
    windowWidth: 375,
    windowHeight: 667,
    screenWidth: 375,
    screenHeight: 667,
    pixelRatio: 2,
    statusBarHeight: 20,
    language: 'zh_CN',
  };
  Object.assign(fake.api, {
    getSystemInfoSync: () => sys,
    getAppBaseInfo: () => sys,
    getWindowInfo: () => sys,
    getDeviceInfo: () => sys,
    canIUse: () => true,
  });
  if (!loaded.has(page)) loaded.set(page, simulate.load(join(out, page), { rootPath: out }));
  const comp = simulate.render(loaded.get(page)!);
  const doc = (globalThis as unknown as { document: { createElement(tag: string): unknown } }).document;
  comp.attach(doc.createElement('parent-wrapper'));
  comp.setData({ status: 'ready', ...data });
  return comp;
}
/** Text of the element with this selector (simulate knows the WXML ids; the DOM drops them). */
const textOf = (page: Rendered, selector: string) =>
  page.querySelector(selector)?.dom.textContent?.replace(/\s+/g, ' ').trim();

test('S2 home: the card number and the member code (QR code, bar code and its number) render for a card holder', () => {
  const dom = show('pages/home/index', {
    cardHolder: true,
    card: { tier: '银卡', points: '1200', cardNo: '8800 0001' },
    codeStatus: 'ready',
    code: 'M1.8800.x.y',
    shortCode: '88000001234512345678',
    codeText: '8800 0001 2345 1234 5678',
    codeHint: '请向店员出示',
  });
  expect(textOf(dom, '#card-no')).toBe('8800 0001');
  expect(textOf(dom, '#code-text')).toBe('8800 0001 2345 1234 5678');
  expect(dom.querySelector('#member-qr')).toBeDefined();
  expect(dom.querySelector('#member-bar')).toBeDefined();
  expect(dom.querySelector('#claim-invite')).toBeUndefined();
});

test('Me: a card holder sees the card summary; staff without a card see their role and no claim entrance', () => {
  const member = show('pages/me/index', {
    cardHolder: true,
    staff: false,
    stateText: '银卡会员',
    summary: { tier: '银卡', points: '1280', cardNo: '8800 0001 2026' },
  });
  expect(textOf(member, '#member-state')).toBe('银卡会员');
  expect(textOf(member, '#summary-card')).toBe('8800 0001 2026');
  expect(textOf(member, '#summary-tier')).toBe('银卡');
  expect(member.querySelector('#open-claim')).toBeUndefined();

  const staff = show('pages/me/index', { cardHolder: false, staff: true, stateText: '员工 · 门店顾问' });
  expect(textOf(staff, '#member-state')).toBe('员工 · 门店顾问');
  expect(staff.querySelector('#staff-entry')).toBeDefined();
  expect(staff.querySelector('#card-summary')).toBeUndefined();
  expect(staff.querySelector('#open-claim')).toBeUndefined();

  const visitor = show('pages/me/index', { cardHolder: false, staff: false, stateText: '访客' });
  expect(visitor.querySelector('#open-claim')).toBeDefined();
  expect(visitor.querySelector('#staff-entry')).toBeUndefined();
});

test('S2 claim form: field errors show; after claiming, the card number and the phone button', () => {
  const dom = show('packageMember/pages/claim/index', {
    errors: { name: '请填写姓名', birthday: '', privacy: '请先同意隐私政策' },
    privacyText: '我已阅读并同意《隐私政策》（2026-01）',
  });
  expect(textOf(dom, '#error-name')).toBe('请填写姓名');
  expect(dom.querySelector('#error-birthday')).toBeUndefined();
  expect(textOf(dom, '#error-privacy')).toBe('请先同意隐私政策');
  expect(textOf(dom, '#privacy')).toContain('2026-01');
  expect(dom.querySelector('#avatar-button')).toBeDefined();

  const done = show('packageMember/pages/claim/index', {
    done: true,
    doneText: '领取成功',
    cardNoText: '卡号 880000012345',
  });
  expect(textOf(done, '#card-no')).toBe('卡号 880000012345');
  expect(done.querySelector('#bind-phone')).toBeDefined();
  expect(done.querySelector('#claim-form')).toBeUndefined();
});

test('S10 wallet and coupon detail: rows and the code render', () => {
  const welcome = { name: '入会礼', benefit: '9 折', minSpend: '无门槛' };
  const wallet = show('pages/coupons/index', {
    tab: 'used',
    items: [{ couponId: 'c1', ...welcome, when: '使用于 2026-05-10', status: 'used' }],
  });
  expect(textOf(wallet, '#coupon-c1')).toBe('9 折入会礼无门槛使用于 2026-05-10');
  expect(textOf(wallet, '#tab-used')).toBe('已使用');

  const detail = show('packageMember/pages/coupon/index', {
    coupon: {
      ...welcome,
      validity: '有效期 2026-05-01 至 2026-06-01',
      stores: '全部门店可用',
      status: 'available',
      statusText: '可使用',
      codeDisplay: 'CPN7 Q2KX',
    },
    scanValue: 'CPN7Q2KX',
  });
  expect(textOf(detail, '#code')).toBe('CPN7 Q2KX');
  expect(textOf(detail, '#coupon-status')).toBe('可使用');
});

test('S8 S9 points: balance, tier progress and history rows render', () => {
  const dom = show('packageMember/pages/points/index', {
    header: pointsHeader,
    history: [{ id: 'l1', label: '获得', amount: '+300', plus: true, when: '2026-05-01 10:00', detail: '余额 1350' }],
    hasMore: true,
  });
  expect(textOf(dom, '#balance-value')).toBe('1250');
  expect(textOf(dom, '#expiring')).toBe('50 积分将于 2026-06-01 前过期');
  expect(textOf(dom, '#tier-message')).toBe('再得 750 积分升级金卡');
  expect(textOf(dom, '#history')).toBe('获得2026-05-01 10:00 · 余额 1350+300');
  expect(dom.querySelector('#more')).toBeDefined();
});

test('PIPL profile and my data: the withdraw button only while opted in; the export summary renders', () => {
  const shown = {
    name: '林小苏',
    birthday: '1995-03-08',
    gender: '女',
    language: '中文',
    phone: '未填写',
    cardNo: '8800',
    privacy: '已同意 2026-01（2026-05-01）',
    marketing: '未接收',
  };
  const off = show('packageMember/pages/profile/index', { shown, marketingOptIn: false, isMember: true });
  expect(textOf(off, '#privacy')).toBe('已同意 2026-01（2026-05-01）');
  expect(off.querySelector('#withdraw')).toBeUndefined();
  const on = show('packageMember/pages/profile/index', { shown, marketingOptIn: true, isMember: true });
  expect(on.querySelector('#withdraw')).toBeDefined();

  const data = show('packageMember/pages/my-data/index', {
    json: '{"a":1}',
    preview: '{"a":1}',
    exportedAt: '导出时间 2026-05-01 10:00',
    summary: [{ key: 'pointsLedger', value: '2 条' }],
  });
  expect(textOf(data, '#export-result')).toContain('pointsLedger2 条');
  expect(textOf(data, '#json')).toBe('{"a":1}');
});
