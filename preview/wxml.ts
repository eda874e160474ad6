import { type ChildNode, type Element, isTag, isText } from 'domhandler';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { HELPER_MODULE, mapMustaches, objectExpression, scopeExpression } from './wxml-expressions';
import { attributeText, elementText, nodeText, parseWxml } from './wxml-tree';

/**
 * j-component compiles WXML itself but knows no `<import>`, `<include>`, `<template is>`,
 * `<wxs src>` or object spread (`{{a: 1, ...b}}`), which TDesign uses throughout. This step
 * resolves those against the built files so the engine gets plain WXML with inline `<wxs>`.
 */

const HELPER = `<wxs module="${HELPER_MODULE}">module.exports={assign:function(){var o={};for(var i=0;i<arguments.length;i++){var s=arguments[i];if(s&&typeof s==='object')for(var k in s)o[k]=s[k];}return o;}};</wxs>`;
/** Templates that use templates nest at most this deep (a template that uses itself would never end). */
const MAX_TEMPLATE_DEPTH = 16;

const withExt = (file: string, ext: string) => (existsSync(file) ? file : `${file}${ext}`);
const srcOf = (file: string, el: Element) =>
  el.attribs.src ? withExt(resolve(dirname(file), el.attribs.src), ext(el)) : undefined;
const ext = (el: Element) => (el.name === 'wxs' ? '.wxs' : '.wxml');

/** WXS semantics the browser lacks: `getRegExp`, `getDate`, and `x.constructor` being a type name. */
export function wxsToJs(code: string): string {
  const prelude =
    'var getRegExp=function(p,f){return new RegExp(p,f)};var getDate=function(){return new (Function.prototype.bind.apply(Date,[null].concat([].slice.call(arguments))))()};' +
    'var __ctor=function(x){if(x===null||x===undefined)return x;var t=Object.prototype.toString.call(x).slice(8,-1);return t};';
  const body = code.replace(
    /([A-Za-z_$][\w$]*(?:\[[^\]]*\])*(?:\.[A-Za-z_$][\w$]*(?:\[[^\]]*\])*)*)\.constructor\b/g,
    '__ctor($1)',
  );
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
  const defs = [...modules]
    .map(([f, code]) => `${JSON.stringify(f)}:function(module,exports,__req){${code}\n}`)
    .join(',');
  return `var __defs={${defs}},__cache={};function __req(f){if(!__cache[f]){var m={exports:{}};__cache[f]=m;__defs[f](m,m.exports,__req);}return __cache[f].exports}module.exports=__req(${JSON.stringify(file)});`
    .split('</wxs>')
    .join('<\\/wxs>');
}

/** A template's body and the file that defines it (its `src` paths are relative to that file). */
type Templates = Map<string, { file: string; body: ChildNode[] }>;

/** The templates `file` defines and those of the files it imports. */
function templatesOf(file: string, seen = new Set<string>()): Templates {
  const out: Templates = new Map();
  if (seen.has(file) || !existsSync(file)) return out;
  seen.add(file);
  const visit = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (!isTag(node)) continue;
      const src = srcOf(file, node);
      if (node.name === 'import' && src) for (const [k, v] of templatesOf(src, seen)) out.set(k, v);
      else if (node.name === 'template' && node.attribs.name !== undefined)
        out.set(node.attribs.name, { file, body: node.children });
      else visit(node.children);
    }
  };
  visit(parseWxml(readFileSync(file, 'utf8')));
  return out;
}

interface Context {
  file: string;
  templates: Templates;
  /** inside a template's body: the name its data go by, e.g. `__t3` */
  scope?: string;
  depth: number;
}

let scopeSeq = 0;

/** A template body's attribute values read from the scope; event handlers named by an expression are dropped. */
function scopedAttributes(el: Element, scope: string | undefined): Record<string, string> {
  if (!scope) return el.attribs;
  // a template's `data` is an object without its braces (`{{a: x, ...y}}`): its keys are no names to scope
  const isData = (name: string) => el.name === 'template' && name === 'data';
  const scoped = (expr: string, name: string) =>
    isData(name) ? scopeExpression(`{${expr}}`, scope).slice(1, -1) : scopeExpression(expr, scope);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(el.attribs)) {
    const dynamicHandler = (name.startsWith('bind') || name.startsWith('catch')) && value.trim().startsWith('{{');
    if (!dynamicHandler) out[name] = mapMustaches(value, (e) => scoped(e, name));
  }
  return out;
}

/** `<template is="x" data="{{…}}" wx:if="…"/>` → the template's body in a one-item `wx:for` that names its data. */
function expandTemplate(attribs: Record<string, string>, ctx: Context): string {
  const template = ctx.templates.get(attribs.is ?? '');
  if (template === undefined || ctx.depth >= MAX_TEMPLATE_DEPTH) return `<!-- template ${attribs.is} not found -->`;
  const scope = `__t${++scopeSeq}`;
  const written = attribs.data ?? '';
  const data = written.startsWith('{{') && written.endsWith('}}') ? written.slice(2, -2) : '';
  const cond = Object.entries(attribs).filter(([k]) => k.startsWith('wx:') && k !== 'wx:key');
  const inner = render(template.body, { ...ctx, file: template.file, scope, depth: ctx.depth + 1 });
  const items = `{{[${data.trim() ? objectExpression(data) : '{}'}]}}`;
  const loop = `<block${attributeText('wx:for', items)} wx:for-item="${scope}">${inner}</block>`;
  return cond.length ? `<block${cond.map(([k, v]) => attributeText(k, v)).join('')}>${loop}</block>` : loop;
}

function renderElement(el: Element, ctx: Context): string {
  const src = srcOf(ctx.file, el);
  if (el.name === 'import') return '';
  if (el.name === 'include' && src) return existsSync(src) ? prepareBody(src) : '';
  if (el.name === 'template' && el.attribs.name !== undefined) return '';
  const attribs = scopedAttributes(el, ctx.scope);
  if (el.name === 'template' && attribs.is !== undefined) return expandTemplate(attribs, ctx);
  if (el.name === 'wxs' && src) return `<wxs module="${el.attribs.module}">${bundleWxs(src)}</wxs>`;
  if (el.name === 'wxs') return elementText(el, attribs, render(el.children, { ...ctx, scope: undefined }));
  return elementText(el, attribs, render(el.children, ctx));
}

function render(nodes: ChildNode[], ctx: Context): string {
  const { scope } = ctx;
  return nodes
    .map((node) =>
      scope && isText(node)
        ? mapMustaches(node.data, (e) => scopeExpression(e, scope))
        : nodeText(node, (el) => renderElement(el, ctx)),
    )
    .join('');
}

function prepareBody(file: string): string {
  return render(parseWxml(readFileSync(file, 'utf8')), { file, templates: templatesOf(file), depth: 0 });
}

/** The WXML of `file`, ready for j-component. */
export function prepareWxml(file: string): string {
  return HELPER + prepareBody(file);
}
