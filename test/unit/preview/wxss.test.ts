import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileWxss, rewriteSelector, rpxToPx, scopeCss } from '../../../preview/wxss';

const dir = mkdtempSync(join(tmpdir(), 'preview-wxss-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RPX = (n: string) => `calc(${n} * var(--pv-rpx, 0.5px))`;

test.each([
  ['.a > .b', '.c1--a > .c1--b'],
  ['view + text ~ .x', 'wx-view + wx-text ~ .c1--x'],
  ['page .title', 'wx-page .c1--title'],
  ['.list view.item:not(.on)::after', '.c1--list wx-view.c1--item:not(.c1--on)::after'],
  [':host', 'my-card'],
  [':host(.dark) .t', 'my-card.c1--dark .c1--t'],
  ['[data-kind="view"] .a', '[data-kind="view"] .c1--a'],
  ['scroll-view>swiper-item', 'wx-scroll-view>wx-swiper-item'],
  ['t-button .t-button__text', 't-button .c1--t-button__text'],
])('selector %s → %s', (selector, expected) => {
  expect(rewriteSelector(selector, 'c1', 'my-card')).toBe(expected);
});

test('rules inside @media and @supports are scoped; @keyframes steps and @font-face stay', () => {
  const css = [
    '.a, view { color: red }',
    '@media (min-width: 400px) { .b { margin: 0 } }',
    '@supports (display: grid) { @media print { text { color: #000 } } }',
    '@keyframes spin { from { opacity: 0 } 50% { opacity: .5 } to { opacity: 1 } }',
    '@font-face { font-family: x; src: url(x.ttf) }',
  ].join('\n');
  expect(scopeCss(css, 'c1', 'my-card')).toBe(
    [
      '.c1--a, wx-view { color: red }',
      '@media (min-width: 400px) { .c1--b { margin: 0 } }',
      '@supports (display: grid) { @media print { wx-text { color: #000 } } }',
      '@keyframes spin { from { opacity: 0 } 50% { opacity: .5 } to { opacity: 1 } }',
      '@font-face { font-family: x; src: url(x.ttf) }',
    ].join('\n'),
  );
});

test('rpx lengths follow the preview width; other units, names and url() stay', () => {
  const css =
    '.a { margin: 10rpx -4rpx .5rpx 0; width: calc(100% - 32rpx); border: 2px solid; background: url(a-10rpx.png) }';
  expect(rpxToPx(css)).toBe(
    `.a { margin: ${RPX('10')} ${RPX('-4')} ${RPX('.5')} 0; width: calc(100% - ${RPX('32')}); border: 2px solid; ` +
      'background: url(a-10rpx.png) }',
  );
});

test('a component stylesheet: imports inlined once, then scoped and converted', () => {
  writeFileSync(join(dir, 'common.wxss'), '.row { padding: 24rpx }\n');
  writeFileSync(
    join(dir, 'card.wxss'),
    '@import "common.wxss";\n@import url(common.wxss);\n:host { display: block }\n',
  );
  const out = compileWxss(join(dir, 'card.wxss'), 'c7', 'x-card').replace(/\s+/g, ' ').trim();
  expect(out).toBe(`.c7--row { padding: ${RPX('24')} } x-card { display: block }`);
});
