/**
 * @jest-environment jsdom
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installFakeWx } from '../support/miniprogram/fake-wx';
import { simulate, type Node, type Rendered } from '../support/miniprogram/simulate';

/**
 * The shared coupon card, rendered by miniprogram-simulate from the real build inside a host that
 * uses it the way the wallet, the claim centre, the mall and the staff's templates do.
 */

let out = '';
let card = '';
beforeAll(() => {
  out = join(mkdtempSync(join(tmpdir(), 'mp-card-')), 'miniprogram');
  const root = join(__dirname, '../..');
  const build = ['scripts/run-ts.js', 'scripts/build-miniprogram.ts', out];
  execFileSync(process.execPath, build, { cwd: root, stdio: 'pipe' });
  (globalThis as { getApp?: unknown }).getApp = () => ({ globalData: {} });
  const fake = installFakeWx();
  const sys = { SDKVersion: '3.5.0', platform: 'devtools', windowWidth: 375, pixelRatio: 2, language: 'zh_CN' };
  Object.assign(fake.api, { getSystemInfoSync: () => sys, getWindowInfo: () => sys, getAppBaseInfo: () => sys });
  card = simulate.load(join(out, 'components/coupon-card/index'), { rootPath: out });
}, 120_000);

function host(template: string, data: Record<string, unknown>): Rendered {
  const id = simulate.load({
    template,
    usingComponents: { 'coupon-card': card },
    data: { tapped: '', ...data },
    methods: {
      open(this: { setData(d: Record<string, unknown>): void }, e: { currentTarget: { dataset: { id?: string } } }) {
        this.setData({ tapped: e.currentTarget.dataset.id ?? '' });
      },
    },
  });
  const comp = simulate.render(id);
  const doc = (globalThis as unknown as { document: { createElement(tag: string): unknown } }).document;
  comp.attach(doc.createElement('parent-wrapper'));
  return comp;
}
const text = (n: Node | undefined) => n?.dom.textContent?.replace(/\s+/g, ' ').trim();

const WALLET_ROW = `<coupon-card id="coupon-c1" class="coupon" data-id="c1" benefit="{{benefit}}" name="{{name}}"
  lines="{{[minSpend, when]}}" off="{{off}}" bind:tap="open">
  <text wx:if="{{!off}}" slot="action" id="action">查看 ›</text>
</coupon-card>`;

/** A wallet row hosting the card: benefit, name and its two lines; `off` for a used or expired coupon. */
async function walletRow([benefit, name, minSpend, when]: string[], off = false) {
  const page = host(WALLET_ROW, { benefit, name, minSpend, when, off });
  await simulate.sleep(0);
  return { page, card: page.querySelector('#coupon-c1')! };
}

describe('coupon card', () => {
  test("S10 shows the benefit on the stub, the name, its lines and the page's action", async () => {
    const { card: c } = await walletRow(['减 ¥50', '春季券', '满 ¥300 可用', '有效期至 2026-06-01']);
    expect(text(c.querySelector('.coupon-card-benefit'))).toBe('减 ¥50');
    expect(text(c.querySelector('.coupon-card-name'))).toBe('春季券');
    expect(c.querySelectorAll('.coupon-card-line').map(text)).toEqual(['满 ¥300 可用', '有效期至 2026-06-01']);
    expect(text(c)).toBe('减 ¥50春季券满 ¥300 可用有效期至 2026-06-01查看 ›');
    expect(c.querySelector('.coupon-card-tag')).toBeUndefined();
    expect(c.querySelector('.coupon-card-note')).toBeUndefined();
    expect(c.querySelector('.coupon-card-off')).toBeUndefined();
  });

  test("a tap anywhere on the card reaches the page with the card's data", async () => {
    const { page, card } = await walletRow(['9 折', '入会礼', '无门槛', '有效期至 2026-06-01']);
    card.querySelector('.coupon-card-name')!.dispatchEvent('tap');
    await simulate.sleep(0);
    expect(page.data.tapped).toBe('c1');
  });

  test('a used coupon is dimmed and offers no action', async () => {
    const { card: c } = await walletRow(['9 折', '入会礼', '无门槛', '使用于 2026-05-10'], true);
    expect(c.querySelector('.coupon-card-off')).toBeDefined();
    expect(text(c)).toBe('9 折入会礼无门槛使用于 2026-05-10');
  });

  test('S10 an offer leaves out blank lines, explains why it cannot be taken and carries a status tag', async () => {
    const page = host(
      `<coupon-card id="offer" benefit="减 ¥20" name="新客券" lines="{{[terms, stock + ' ' + limit]}}" highlight="{{cost}}"
        note="{{note}}" tag="{{tag}}" tag-theme="warning" />`,
      { terms: '无门槛 · 领取后 7 天内有效', stock: '', limit: '', cost: '500 积分', note: '已抢光', tag: '已暂停' },
    );
    await simulate.sleep(0);
    const c = page.querySelector('#offer')!;
    expect(c.querySelectorAll('.coupon-card-line').map(text)).toEqual(['无门槛 · 领取后 7 天内有效']);
    expect(text(c.querySelector('.coupon-card-highlight'))).toBe('500 积分');
    expect(text(c.querySelector('.coupon-card-note'))).toBe('已抢光');
    expect(text(c.querySelector('.coupon-card-head'))).toBe('新客券已暂停');

    page.setData({ stock: '剩余 41 张', limit: '每人限领 3 张（已领 1）', note: '' });
    await simulate.sleep(0);
    expect(c.querySelectorAll('.coupon-card-line').map(text)).toEqual([
      '无门槛 · 领取后 7 天内有效',
      '剩余 41 张 每人限领 3 张（已领 1）',
    ]);
    expect(c.querySelector('.coupon-card-note')).toBeUndefined();
  });
});
