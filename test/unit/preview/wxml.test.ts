import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareWxml } from '../../../preview/wxml';
import { mapMustaches, scopeExpression } from '../../../preview/wxml-expressions';

const dir = mkdtempSync(join(tmpdir(), 'preview-wxml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the files and prepares the first one, without the helper `<wxs>` every prepared file starts with. */
function prepare(files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const out = prepareWxml(join(dir, Object.keys(files)[0]!));
  return out.slice(out.indexOf('</wxs>') + '</wxs>'.length).replace(/__t\d+/g, '__t');
}

test('markup without imports, templates or wxs comes out as it went in', () => {
  const page = [
    '<view class="card {{active ? \'on\' : \'\'}}" style="width: {{w}}px">',
    '  <!-- heading -->',
    '  <text>{{a > b ? "more" : "less"}} &amp; {{n}}</text>',
    '  <view><view><text user-select>deep</text></view></view>',
    '  <switch checked disabled="{{false}}"/>',
    '  <slot wx:else/>',
    '</view>',
  ].join('\n');
  expect(prepare({ 'plain.wxml': page })).toBe(page);
});

test('an attribute value that holds a double quote keeps single quotes, and `>` inside {{ }} is no tag end', () => {
  const page = `<view data-x='{{ {a: "x>y"}["a"] }}' hidden="{{ n > 2 }}">ok</view>`;
  expect(prepare({ 'quotes.wxml': page })).toBe(page);
});

test('an imported template used with data and a condition becomes a one-item loop that reads its own scope', () => {
  const out = prepare({
    'use.wxml': '<import src="./defs"/><template is="row" wx:if="{{show}}" data="{{title: t, ...rest}}"/>',
    'defs.wxml':
      '<template name="row"><view class="row {{cls}}" bindtap="{{onTap}}" catch:touchstart="stop">{{title}}</view></template>',
  });
  expect(out).toBe(
    '<block wx:if="{{show}}"><block wx:for="{{[__pv.assign({title: t}, rest)]}}" wx:for-item="__t">' +
      '<view class="row {{__t.cls}}" catch:touchstart="stop">{{__t.title}}</view></block></block>',
  );
});

test('a template that uses another template expands both; an unknown template leaves a comment', () => {
  const out = prepare({
    'nested.wxml':
      '<template name="icon"><text>{{name}}</text></template>' +
      '<template name="button"><view><template is="icon" data="{{name: label}}"/></view></template>' +
      '<template is="button" data="{{label: \'去\'}}"/><template is="missing"/>',
  });
  expect(out).toBe(
    `<block wx:for="{{[__pv.assign({label: '去'})]}}" wx:for-item="__t"><view>` +
      '<block wx:for="{{[__pv.assign({name: __t.label})]}}" wx:for-item="__t"><text>{{__t.name}}</text></block>' +
      '</view></block><!-- template missing not found -->',
  );
});

test('includes are inlined and wxs files become inline modules with their requires bundled', () => {
  const out = prepare({
    'host.wxml': '<view><include src="part.wxml"/></view><wxs module="u" src="./util.wxs"/>',
    'part.wxml': '<text>{{u.up(x)}}</text>',
    'util.wxs': 'var h = require("./helper.wxs"); module.exports = { up: function (s) { return h.twice(s) } };',
    'helper.wxs': 'module.exports = { twice: function (s) { return s + s } };',
  });
  expect(out).toMatch(/^<view><text>\{\{u\.up\(x\)\}\}<\/text><\/view><wxs module="u">var __defs=/);
  const code = /<wxs module="u">([\s\S]*)<\/wxs>$/.exec(out)![1]!;
  const module = { exports: {} as { up?: (s: string) => string } };
  new Function('module', code)(module); // eslint-disable-line no-new-func -- runs the bundle as the engine would
  expect(module.exports.up!('好')).toBe('好好');
});

test('mustaches end at the braces that close them, not at braces inside the expression', () => {
  const seen: string[] = [];
  const out = mapMustaches("a{{ {x: {y: 1}} }}b{{ '}}' }}c{{open", (e) => (seen.push(e), 'E'));
  expect(seen).toEqual([' {x: {y: 1}} ', " '}}' "]);
  expect(out).toBe('a{{E}}b{{E}}c{{open');
});

test('free names of an expression read from the scope; keys, members and literals do not', () => {
  expect(scopeExpression("{a: b.c, d: 'e'} || typeof f", 's')).toBe("{a: s.b.c, d: 'e'} || typeof s.f");
});
