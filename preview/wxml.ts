import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

/**
 * j-component compiles WXML itself but knows no `<import>`, `<include>`, `<template is>`,
 * `<wxs src>` or object spread (`{{a: 1, ...b}}`), which TDesign uses throughout. This step
 * resolves those against the built files so the engine gets plain WXML with inline `<wxs>`.
 */

const TEMPLATE_DEF = /<template\s+name="([^"]+)"\s*>([\s\S]*?)<\/template>/g;
const IMPORT = /<import\s+src="([^"]+)"\s*\/?>(?:<\/import>)?/g;
const INCLUDE = /<include\s+src="([^"]+)"\s*\/?>(?:<\/include>)?/g;
const WXS_SRC = /<wxs\s+([^>]*?)\/?>(?:<\/wxs>)?/g;
const TEMPLATE_USE = /<template\s+([^>]*?\bis=[^>]*?)\/?>(?:<\/template>)?/g;
const HELPER_MODULE = '__pv';
const HELPER = `<wxs module="${HELPER_MODULE}">module.exports={assign:function(){var o={};for(var i=0;i<arguments.length;i++){var s=arguments[i];if(s&&typeof s==='object')for(var k in s)o[k]=s[k];}return o;}};</wxs>`;

const attrsOf = (text: string): Record<string, string> => Object.fromEntries([...text.matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));

const withExt = (file: string, ext: string) => (existsSync(file) ? file : `${file}${ext}`);

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
  for (let i = 0; i < expr.length; ) {
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

/** Rewrites the `{{…}}` parts of a template body to read from `scope`; dynamic event handlers are dropped. */
function scopeBody(body: string, scope: string): string {
  return body
    .replace(/\s(?:bind|catch)[\w:-]*="\{\{[^"]*\}\}"/g, '')
    .replace(/\{\{([\s\S]*?)\}\}/g, (_m, e: string) => `{{${scopeExpression(e, scope)}}}`);
}

/** WXS semantics the browser lacks: `getRegExp`, `getDate`, and `x.constructor` being a type name. */
export function wxsToJs(code: string): string {
  const prelude =
    'var getRegExp=function(p,f){return new RegExp(p,f)};var getDate=function(){return new (Function.prototype.bind.apply(Date,[null].concat([].slice.call(arguments))))()};' +
    "var __ctor=function(x){if(x===null||x===undefined)return x;var t=Object.prototype.toString.call(x).slice(8,-1);return t};";
  const body = code.replace(/([A-Za-z_$][\w$]*(?:\[[^\]]*\])*(?:\.[A-Za-z_$][\w$]*(?:\[[^\]]*\])*)*)\.constructor\b/g, '__ctor($1)');
  return prelude + body;
}

/** A `.wxs` file and the files it requires, as one script that sets `module.exports`. */
function bundleWxs(file: string): string {
  const modules = new Map<string, string>();
  const visit = (f: string) => {
    if (modules.has(f)) return;
    modules.set(f, '');
    let code = readFileSync(f, 'utf8');
    code = code.replace(/require\(\s*["']([^"']+)["']\s*\)/g, (_m, spec: string) => {
      const target = withExt(resolve(dirname(f), spec), '.wxs');
      visit(target);
      return `__req(${JSON.stringify(target)})`;
    });
    modules.set(f, wxsToJs(code));
  };
  visit(file);
  const defs = [...modules].map(([f, code]) => `${JSON.stringify(f)}:function(module,exports,__req){${code}\n}`).join(',');
  return `var __defs={${defs}},__cache={};function __req(f){if(!__cache[f]){var m={exports:{}};__cache[f]=m;__defs[f](m,m.exports,__req);}return __cache[f].exports}module.exports=__req(${JSON.stringify(file)});`.split('</wxs>').join('<\\/wxs>');
}

function templatesOf(file: string, seen = new Set<string>()): Map<string, string> {
  const out = new Map<string, string>();
  if (seen.has(file) || !existsSync(file)) return out;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(IMPORT)) for (const [k, v] of templatesOf(withExt(resolve(dirname(file), m[1]!), '.wxml'), seen)) out.set(k, v);
  for (const m of text.matchAll(TEMPLATE_DEF)) out.set(m[1]!, m[2]!);
  return out;
}

let scopeSeq = 0;

/** The WXML of `file`, ready for j-component. */
export function prepareWxml(file: string): string {
  let text = readFileSync(file, 'utf8');
  text = text.replace(INCLUDE, (_m, src: string) => prepareWxml(withExt(resolve(dirname(file), src), '.wxml')));
  const templates = templatesOf(file);
  text = text.replace(IMPORT, '').replace(TEMPLATE_DEF, '');
  text = text.replace(WXS_SRC, (whole, attrText: string) => {
    const a = attrsOf(attrText);
    if (!a.src) return whole;
    return `<wxs module="${a.module}">${bundleWxs(withExt(resolve(dirname(file), a.src), '.wxs'))}</wxs>`;
  });
  text = text.replace(TEMPLATE_USE, (_m, attrText: string) => {
    const a = attrsOf(attrText);
    const body = templates.get(a.is ?? '');
    if (body === undefined) return `<!-- template ${a.is} not found -->`;
    const scope = `__t${++scopeSeq}`;
    const data = /^\{\{([\s\S]*)\}\}$/.exec(a.data ?? '')?.[1] ?? '';
    const cond = Object.entries(a).filter(([k]) => k.startsWith('wx:') && k !== 'wx:key').map(([k, v]) => ` ${k}="${v}"`).join('');
    const inner = `<block wx:for="{{[${data.trim() ? objectExpression(data) : '{}'}]}}" wx:for-item="${scope}">${scopeBody(body, scope)}</block>`;
    return cond ? `<block${cond}>${inner}</block>` : inner;
  });
  return HELPER + text;
}

/** Path of a built file relative to the app root, with forward slashes and no extension. */
export const appPath = (root: string, file: string): string => relative(root, file).split('\\').join('/').replace(/\.\w+$/, '');
