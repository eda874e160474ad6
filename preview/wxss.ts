import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * WXSS → CSS for one component, matching how the engine writes the DOM: class names carry the
 * component's prefix (`c3--title`), built-in tags are `wx-view`, `wx-text`…, the page root is
 * `wx-page`, and rpx become px of the phone's width (750 rpx = the width; `--pv-rpx`, 375 px unless the preview is opened with `width`).
 */

export const SCREEN_WIDTH = 375;
const BUILT_IN = ['view', 'text', 'button', 'image', 'input', 'textarea', 'label', 'navigator', 'scroll-view', 'swiper', 'swiper-item', 'icon', 'form', 'picker', 'switch', 'checkbox', 'radio', 'slider', 'rich-text', 'block', 'page'];
const TAG = new RegExp(`(^|[\\s>+~,(])(${BUILT_IN.join('|')})(?=$|[\\s.#:\\[>+~,)])`, 'g');

export const rpxToPx = (css: string): string =>
  css.replace(/(-?\d*\.?\d+)rpx/g, (_m, n: string) => `calc(${n} * var(--pv-rpx, ${SCREEN_WIDTH / 750}px))`);

/** The file's text with its `@import`s inlined (each file once). */
export function readWxss(file: string, seen = new Set<string>()): string {
  if (seen.has(file) || !existsSync(file)) return '';
  seen.add(file);
  return readFileSync(file, 'utf8').replace(/@import\s+(?:url\()?["']([^"']+)["']\)?\s*;?/g, (_m, src: string) => readWxss(resolve(dirname(file), src), seen));
}

export function rewriteSelector(selector: string, prefix: string, hostTag: string): string {
  return selector
    .replace(/:host/g, hostTag)
    .replace(/\.(-?[_a-zA-Z][\w-]*)/g, (_m, name: string) => `.${prefix}--${name}`)
    .replace(TAG, (_m, before: string, tag: string) => `${before}wx-${tag}`);
}

/** Rewrites every style rule's selectors; at-rules with rule bodies (@media, @supports) recurse, others stay. */
export function scopeCss(css: string, prefix: string, hostTag: string): string {
  let out = '';
  let i = 0;
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  while (i < text.length) {
    const open = text.indexOf('{', i);
    if (open < 0) break;
    const head = text.slice(i, open).trim();
    let depth = 1;
    let j = open + 1;
    while (j < text.length && depth > 0) {
      if (text[j] === '{') depth++;
      else if (text[j] === '}') depth--;
      j++;
    }
    const body = text.slice(open + 1, j - 1);
    if (head.startsWith('@media') || head.startsWith('@supports')) out += `${head}{${scopeCss(body, prefix, hostTag)}}\n`;
    else if (head.startsWith('@')) out += `${head}{${body}}\n`;
    else if (head) out += `${head.split(',').map((s) => rewriteSelector(s.trim(), prefix, hostTag)).join(',')}{${body}}\n`;
    i = j;
  }
  return out;
}

export function compileWxss(file: string, prefix: string, hostTag: string): string {
  return rpxToPx(scopeCss(readWxss(file), prefix, hostTag));
}
