/**
 * @jest-environment jsdom
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CondNode, Dimension } from '../../miniprogram/components/condition-group/tree';
import { installFakeWx } from '../support/miniprogram/fake-wx';
import { simulate, type Node, type Rendered } from '../support/miniprogram/simulate';

/**
 * The recursive condition editor, rendered by miniprogram-simulate from the real build inside a host
 * that keeps the condition the way the journey editor does: every `edit` replaces it whole.
 */

const dims: Dimension[] = [
  { key: 'tag', label: '有标签', pick: 'one', options: [{ value: 'vip', label: 'VIP' }] },
  {
    key: 'tier',
    label: '会员等级',
    pick: 'many',
    options: [
      { value: 'silver', label: '银卡' },
      { value: 'gold', label: '金卡' },
    ],
  },
  { key: 'inSegment', label: '在分群中', pick: 'one', options: [{ value: 'vip-buyers', label: '高价值' }] },
  { key: 'activeWithin', label: '公众号活跃时间内', pick: 'text', options: [], hint: '如 48h' },
];
const built: CondNode = {
  kind: 'all',
  of: [
    {
      kind: 'any',
      of: [
        { kind: 'leaf', dim: 'tag', values: ['vip'] },
        { kind: 'leaf', dim: 'tier', values: ['gold'] },
      ],
    },
    { kind: 'not', of: { kind: 'leaf', dim: 'inSegment', values: ['opted-out'] } },
  ],
};

let group = '';
beforeAll(() => {
  const out = join(mkdtempSync(join(tmpdir(), 'mp-cond-')), 'miniprogram');
  const root = join(__dirname, '../..');
  execFileSync(process.execPath, ['scripts/run-ts.js', 'scripts/build-miniprogram.ts', out], {
    cwd: root,
    stdio: 'pipe',
  });
  (globalThis as { getApp?: unknown }).getApp = () => ({ globalData: {} });
  const fake = installFakeWx();
  const sys = { SDKVersion: '3.5.0', platform: 'devtools', windowWidth: 375, pixelRatio: 2, language: 'zh_CN' };
  Object.assign(fake.api, { getSystemInfoSync: () => sys, getWindowInfo: () => sys, getAppBaseInfo: () => sys });
  group = simulate.load(join(out, 'components/condition-group/index'), { rootPath: out });
}, 120_000);

/** A page holding one condition: the editor's changes replace it. */
async function host(node: CondNode, extra: Record<string, unknown> = {}): Promise<Rendered> {
  const id = simulate.load({
    template: `<condition-group id="cond" path="cond" node="{{node}}" dims="{{dims}}" max-depth="{{maxDepth}}"
      choices="{{choices}}" bind:edit="onChange" />`,
    usingComponents: { 'condition-group': group },
    data: { node, dims, maxDepth: 4, choices: 'ready', ...extra },
    methods: {
      onChange(this: { setData(d: Record<string, unknown>): void }, e: { detail: { node: CondNode } }) {
        this.setData({ node: e.detail.node });
      },
    },
  });
  const page = simulate.render(id);
  const doc = (globalThis as unknown as { document: { createElement(tag: string): unknown } }).document;
  page.attach(doc.createElement('parent-wrapper'));
  await simulate.sleep(0);
  return page;
}

/** The editor of the node at `path` (child indexes from the root): each level is a component of its own. */
function at(page: Rendered, ...path: number[]): Node {
  let node = page.querySelector('#cond')!;
  let id = 'cond';
  for (const i of path) {
    id = `${id}-${i}`;
    node = node.querySelector(`#${id}`)!;
    expect(node).toBeDefined();
  }
  return node;
}
const text = (n: Node | undefined) => n?.dom.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const inside = (n: Node, sel: string) => n.querySelector(sel)!;
async function tap(n: Node, sel: string): Promise<void> {
  inside(n, sel).dispatchEvent('tap');
  await simulate.sleep(0);
}
async function change(n: Node, sel: string, value: unknown, event = 'change'): Promise<void> {
  inside(n, sel).dispatchEvent(event, { detail: { value } });
  await simulate.sleep(0);
}
const nodeOf = (page: Rendered) => page.data['node'] as CondNode;

test('S21 nested conditions show as groups inside groups, each leaf with the picker its dimension needs', async () => {
  const page = await host(built);
  expect(inside(at(page), '#cond-all').data).toBeDefined();
  expect(text(at(page, 0, 0))).toContain('有标签');
  expect(text(inside(at(page, 0, 0), '#cond-0-0-value'))).toBe('VIP');
  const tier = at(page, 0, 1);
  expect(text(inside(tier, '#cond-0-1-opt-gold'))).toBe('金卡');
  expect(tier.querySelector('#cond-0-1-opt-gold.cg-on')).toBeDefined();
  expect(tier.querySelector('#cond-0-1-opt-silver.cg-on')).toBeUndefined();
  expect(text(at(page, 1))).toContain('不满足以下条件');
  // a saved segment the list does not hold is still shown (and kept), not replaced
  expect(text(inside(at(page, 1, 0), '#cond-1-0-value'))).toBe('opted-out');
});

test('S21 a leaf changes its dimension and value; a group switches between all of and any of', async () => {
  const page = await host(built);
  await tap(at(page, 0, 1), '#cond-0-1-opt-silver');
  expect(nodeOf(page)).toMatchObject({ of: [{ of: [{}, { dim: 'tier', values: ['gold', 'silver'] }] }, {}] });
  await change(at(page, 0, 0), '#cond-0-0-dim', 1);
  expect(nodeOf(page)).toMatchObject({ of: [{ of: [{ kind: 'leaf', dim: 'tier', values: [] }, {}] }, {}] });
  await change(at(page, 0, 0), '#cond-0-0-dim', 0);
  expect(nodeOf(page)).toMatchObject({ of: [{ of: [{ dim: 'tag', values: ['vip'] }, {}] }, {}] });
  await tap(at(page, 0), '#cond-0-all');
  expect(nodeOf(page)).toMatchObject({ kind: 'all', of: [{ kind: 'all' }, { kind: 'not' }] });
  // the picker lists the segment it kept first, then the brand's own
  await change(at(page, 1, 0), '#cond-1-0-value', 1);
  expect(nodeOf(page)).toMatchObject({ of: [{}, { kind: 'not', of: { dim: 'inSegment', values: ['vip-buyers'] } }] });
});

test('S21 conditions are added, grouped, negated, un-negated and removed', async () => {
  const page = await host({ kind: 'all', of: [{ kind: 'leaf', dim: 'tag', values: ['vip'] }] });
  // the only part of a group cannot be removed
  expect(at(page, 0).querySelector('#cond-0-remove')).toBeUndefined();
  await tap(at(page), '#cond-add');
  expect(nodeOf(page)).toEqual({
    kind: 'all',
    of: [
      { kind: 'leaf', dim: 'tag', values: ['vip'] },
      { kind: 'leaf', dim: 'tag', values: ['vip'] },
    ],
  });
  await tap(at(page, 1), '#cond-1-negate');
  expect(nodeOf(page)).toMatchObject({ of: [{}, { kind: 'not', of: { kind: 'leaf' } }] });
  await tap(at(page, 1), '#cond-1-unwrap');
  expect(nodeOf(page)).toMatchObject({ of: [{}, { kind: 'leaf' }] });
  await tap(at(page, 0), '#cond-0-group');
  expect(nodeOf(page)).toMatchObject({ of: [{ kind: 'all', of: [{ kind: 'leaf' }] }, { kind: 'leaf' }] });
  await tap(at(page), '#cond-add-group');
  expect(nodeOf(page)).toMatchObject({ of: [{}, {}, { kind: 'any', of: [{ dim: 'tag' }] }] });
  await tap(at(page, 1), '#cond-1-remove');
  expect(nodeOf(page)).toMatchObject({ of: [{ kind: 'all' }, { kind: 'any' }] });
  await tap(at(page, 0), '#cond-0-unwrap');
  expect(nodeOf(page)).toMatchObject({ of: [{ kind: 'leaf', dim: 'tag' }, { kind: 'any' }] });
});

test('S21 nesting stops at the depth the journey schema allows', async () => {
  const leaf: CondNode = { kind: 'leaf', dim: 'tag', values: ['vip'] };
  const page = await host({ kind: 'all', of: [{ kind: 'any', of: [leaf] }] }, { maxDepth: 3 });
  // depth 1: a group may still be added inside (3 levels), and the leaf grouped
  expect(at(page, 0).querySelector('#cond-0-add-group')).toBeDefined();
  await tap(at(page, 0, 0), '#cond-0-0-group');
  expect(nodeOf(page)).toMatchObject({ of: [{ of: [{ kind: 'all', of: [leaf] }] }] });
  // three groups deep: the innermost leaf can be neither grouped nor negated, no group added there
  const deepest = at(page, 0, 0, 0);
  expect(deepest.querySelector('#cond-0-0-0-group')).toBeUndefined();
  expect(deepest.querySelector('#cond-0-0-0-negate')).toBeUndefined();
  expect(at(page, 0, 0).querySelector('#cond-0-0-add-group')).toBeUndefined();
  expect(at(page).querySelector('#cond-negate')).toBeUndefined();
});

test('without its options a picker says why and takes typed text: loading, failed, none', async () => {
  const node: CondNode = { kind: 'all', of: [{ kind: 'leaf', dim: 'inSegment', values: [] }] };
  const unlisted = dims.map((d) => (d.key === 'inSegment' ? { ...d, options: [] } : d));
  const page = await host(node, { choices: 'loading', dims: unlisted });
  expect(text(inside(at(page, 0), '#cond-0-state'))).toBe('正在加载可选值…');
  page.setData({ choices: 'error' });
  await simulate.sleep(0);
  expect(text(inside(at(page, 0), '#cond-0-state'))).toBe('可选值加载失败，可直接输入');
  page.setData({ choices: 'ready' });
  await simulate.sleep(0);
  expect(text(inside(at(page, 0), '#cond-0-state'))).toBe('暂无可选值，可直接输入');
  await change(at(page, 0), '#cond-0-value', 'vip-buyers', 'input');
  expect(nodeOf(page)).toEqual({ kind: 'all', of: [{ kind: 'leaf', dim: 'inSegment', values: ['vip-buyers'] }] });
});

test('a part the editor cannot change is shown and kept', async () => {
  const kept: CondNode = { kind: 'kept', label: '属性 isFollower', value: { type: 'attribute', name: 'isFollower' } };
  const page = await host({ kind: 'any', of: [kept, { kind: 'leaf', dim: 'tag', values: ['vip'] }] });
  expect(text(at(page, 0))).toBe('属性 isFollower（此处不可编辑，原样保留）取反删除');
  await tap(at(page, 1), '#cond-1-negate');
  expect(nodeOf(page)).toMatchObject({ of: [kept, { kind: 'not' }] });
});
