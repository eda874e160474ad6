import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import postcss, { type Root } from 'postcss';
import selectorParser from 'postcss-selector-parser';
import valueParser from 'postcss-value-parser';

/**
 * WXSS → CSS for one component, matching how the engine writes the DOM: class names carry the
 * component's prefix (`c3--title`), built-in tags are `wx-view`, `wx-text`…, the page root is
 * `wx-page`, and rpx become px of the phone's width (750 rpx = the width; `--pv-rpx`, 375 px unless the preview is
 * opened with `width`).
 */

const SCREEN_WIDTH = 375;
const BUILT_IN = new Set(
  [
    'view',
    'text',
    'button',
    'image',
    'input',
    'textarea',
    'label',
    'navigator',
    'scroll-view',
    'swiper',
    'swiper-item',
  ].concat(['icon', 'form', 'picker', 'switch', 'checkbox', 'radio', 'slider', 'rich-text', 'block', 'page']),
);
/** At-rules whose rules select elements; the rules inside any other (`@keyframes`, `@font-face`) stay as written. */
const SCOPED_AT_RULES = new Set(['media', 'supports']);

const pxOfRpx = (n: string) => `calc(${n} * var(--pv-rpx, ${SCREEN_WIDTH / 750}px))`;

/** `10rpx` → a length that follows the preview's width, in every declaration value (not inside `url()`). */
function convertRpx(root: Root): void {
  root.walkDecls((decl) => {
    if (!decl.value.includes('rpx')) return;
    const value = valueParser(decl.value);
    value.walk((node) => {
      if (node.type === 'function' && node.value.toLowerCase() === 'url') return false;
      const unit = node.type === 'word' ? valueParser.unit(node.value) : false;
      if (unit && unit.unit.toLowerCase() === 'rpx') node.value = pxOfRpx(unit.number);
      return undefined;
    });
    decl.value = value.toString();
  });
}

/** Path of an `@import`'s stylesheet: `"a.wxss"`, `'a.wxss'` or `url(a.wxss)`. */
function importedPath(params: string): string | undefined {
  const [first] = valueParser(params).nodes;
  if (first?.type === 'string') return first.value;
  if (first?.type === 'function' && first.value === 'url') return first.nodes[0]?.value;
  return undefined;
}

/** The stylesheet with its `@import`s inlined (each file once). */
function readWxss(file: string, seen = new Set<string>()): Root {
  if (seen.has(file) || !existsSync(file)) return postcss.root();
  seen.add(file);
  const root = postcss.parse(readFileSync(file, 'utf8'), { from: file });
  root.walkAtRules('import', (rule) => {
    const src = importedPath(rule.params);
    if (src) rule.replaceWith(readWxss(resolve(dirname(file), src), seen).nodes);
  });
  return root;
}

export function rewriteSelector(selector: string, prefix: string, hostTag: string): string {
  return selectorParser((selectors) => {
    selectors.walkClasses((node) => {
      node.value = `${prefix}--${node.value}`;
    });
    selectors.walkTags((node) => {
      if (BUILT_IN.has(node.value)) node.value = `wx-${node.value}`;
    });
    // `:host` and `:host(.x)` (whose classes were prefixed above) → the component's tag, then `.x`
    selectors.walkPseudos((node) => {
      if (node.value !== ':host') return;
      const inner = node.nodes.flatMap((s) => s.nodes.map((n) => n.clone()));
      node.replaceWith(selectorParser.tag({ value: hostTag }), ...inner);
    });
  }).processSync(selector);
}

/** Rewrites every style rule's selectors, including those inside `@media` and `@supports`. */
function scopeRules(root: Root, prefix: string, hostTag: string): void {
  root.walkRules((rule) => {
    for (let p = rule.parent; p && p.type !== 'root'; p = p.parent) {
      if (p.type === 'atrule' && !SCOPED_AT_RULES.has((p as postcss.AtRule).name)) return;
    }
    rule.selectors = rule.selectors.map((s) => rewriteSelector(s, prefix, hostTag));
  });
}

/** A stylesheet's text with its selectors scoped to a component. */
export function scopeCss(css: string, prefix: string, hostTag: string): string {
  const root = postcss.parse(css);
  scopeRules(root, prefix, hostTag);
  return root.toString();
}

/** A stylesheet's text with its rpx lengths following the preview's width. */
export function rpxToPx(css: string): string {
  const root = postcss.parse(css);
  convertRpx(root);
  return root.toString();
}

export function compileWxss(file: string, prefix: string, hostTag: string): string {
  const root = readWxss(file);
  scopeRules(root, prefix, hostTag);
  convertRpx(root);
  return root.toString();
}
