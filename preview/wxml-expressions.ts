/**
 * The expressions inside WXML's `{{…}}`: finding them in a text, and rewriting them for the preview's engine.
 */

export const HELPER_MODULE = '__pv';

/** Splits on commas at bracket depth 0, outside strings. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** `a: 1, ...b` (a WXML object without braces) → `__pv.assign({a: 1}, b)`. */
export function objectExpression(inner: string): string {
  const groups: string[] = [];
  let plain: string[] = [];
  for (const part of splitTop(inner)) {
    if (part.startsWith('...')) {
      if (plain.length) groups.push(`{${plain.join(', ')}}`);
      plain = [];
      groups.push(part.slice(3));
    } else plain.push(part);
  }
  if (plain.length) groups.push(`{${plain.join(', ')}}`);
  return `${HELPER_MODULE}.assign(${groups.join(', ')})`;
}

const KEYWORDS = new Set(['true', 'false', 'null', 'undefined', 'typeof', 'in', 'instanceof']);

/** Prefixes every free identifier of an expression with `scope.` (a template's data become `scope.x`). */
export function scopeExpression(expr: string, scope: string): string {
  let out = '';
  const stack: string[] = [];
  let prev = '';
  for (let i = 0; i < expr.length;) {
    const c = expr[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < expr.length && expr[j] !== c) j += expr[j] === '\\' ? 2 : 1;
      out += expr.slice(i, j + 1);
      i = j + 1;
      prev = 'str';
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i;
      while (j < expr.length && /[\w$]/.test(expr[j]!)) j++;
      const name = expr.slice(i, j);
      const rest = expr.slice(j).trimStart();
      const isKey = stack[stack.length - 1] === '{' && (prev === '{' || prev === ',') && rest.startsWith(':');
      out += prev === '.' || isKey || KEYWORDS.has(name) ? name : `${scope}.${name}`;
      prev = 'id';
      i = j;
      continue;
    }
    if ('([{'.includes(c)) stack.push(c);
    if (')]}'.includes(c)) stack.pop();
    if (!/\s/.test(c)) prev = c === '.' && /\d/.test(expr[i + 1] ?? '') ? 'num' : c;
    out += c;
    i++;
  }
  return out;
}

/**
 * Rewrites every `{{…}}` of a text or attribute value with `rewrite`; braces and quotes inside an expression
 * (`{{ {a: {b: 1}} }}`, `{{ '}}' }}`) do not end it.
 */
export function mapMustaches(text: string, rewrite: (expr: string) => string): string {
  let out = '';
  let i = 0;
  for (let open = text.indexOf('{{'); open >= 0; open = text.indexOf('{{', i)) {
    const close = closingOf(text, open + 2);
    if (close < 0) break;
    out += `${text.slice(i, open)}{{${rewrite(text.slice(open + 2, close))}}}`;
    i = close + 2;
  }
  return out + text.slice(i);
}

/** Index of the `}}` that closes an expression starting at `from`, or -1. */
function closingOf(text: string, from: number): number {
  let depth = 0;
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}' && depth === 0 && text[i + 1] === '}') return i;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
  }
  return -1;
}
