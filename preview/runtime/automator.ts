/* eslint-disable @typescript-eslint/no-explicit-any */
import exparser from 'miniprogram-exparser';
import * as router from './router';
import { mockWx } from './wx';

/**
 * The miniprogram-automator methods, executed in the page: the preview server forwards each
 * WebSocket message `{ method, params }` here and sends back what this returns (or throws).
 */

const nodes = new Map<string, any>();
const ids = new WeakMap<object, string>();
let nextId = 0;

function handleOf(node: any): { elementId: string; tagName: string; nodeId?: string } {
  let id = ids.get(node);
  if (!id) {
    id = `e${++nextId}`;
    ids.set(node, id);
    nodes.set(id, node);
  }
  const tagName = node._vt?.tagName ?? 'view';
  const custom = typeof node.is === 'string' && node.is.startsWith('pv:');
  return custom ? { elementId: id, tagName, nodeId: id } : { elementId: id, tagName };
}

function pageById(pageId: number | undefined): router.PageRecord {
  const p = pageId === undefined ? router.currentPage() : router.stack.find((s) => s.id === pageId);
  if (!p) throw new Error(`page ${pageId} not found`);
  return p;
}

const pageInfo = (p: router.PageRecord) => ({ pageId: p.id, path: p.route, query: p.query });
const pageRoot = (p: router.PageRecord) => p.root._exparserNode.shadowRoot;

function elementOf(params: any): any {
  const node = nodes.get(params.elementId);
  if (!node) throw new Error(`element ${params.elementId} not found`);
  return node;
}

function scopeOf(node: any): any {
  return node.shadowRoot && typeof node.is === 'string' && node.is.startsWith('pv:') ? node.shadowRoot : node;
}

function query(scope: any, selector: string, all: boolean): any {
  if (all) return (scope.querySelectorAll?.(selector) ?? []).map(handleOf);
  const found = scope.querySelector?.(selector);
  if (!found) throw new Error(`element "${selector}" not found`);
  return handleOf(found);
}

/** The element's DOM, or (for virtual hosts) a stand-in holding its children's DOM. */
function domOf(node: any): HTMLElement {
  if (node.$$) return node.$$ as HTMLElement;
  const wrap = document.createElement('virtual');
  for (const child of node.childNodes ?? []) {
    const d = child.$$ ?? (child.textContent !== undefined ? document.createTextNode(child.textContent) : domOf(child));
    wrap.appendChild(d.cloneNode(true));
  }
  return wrap;
}

const cleanHtml = (html: string) => html.replace(/<(\/?)wx-/g, '<$1').replace(/\bc\d+--/g, '');

function plain(value: unknown): any {
  const json = JSON.stringify(value, (k, v) => (k === '__pv' || typeof v === 'function' ? undefined : v));
  return json === undefined ? null : JSON.parse(json);
}

function pick(data: any, path?: string): any {
  if (!path) return data;
  return path.split(/[.[\]]/).filter(Boolean).reduce((o, k) => (o == null ? undefined : o[k]), data);
}

function dispatch(node: any, type: string, detail: unknown): void {
  exparser.Event.dispatchEvent(node, exparser.Event.create(type, detail ?? {}, { bubbles: true, composed: true, capturePhase: true, extraFields: { touches: [], changedTouches: [] } }));
}

const callerOf = (node: any) => exparser.Element.getMethodCaller(node);

export function createAutomator(wx: any): (method: string, params: any) => Promise<unknown> {
  const handlers: Record<string, (params: any) => unknown> = {
    'Tool.getInfo': () => ({ SDKVersion: 'dev' }),
    'Tool.close': () => ({}),
    'App.exit': () => ({}),
    'App.enableLog': () => ({}),
    'App.getPageStack': () => ({ pageStack: router.stack.map(pageInfo) }),
    'App.getCurrentPage': () => pageInfo(pageById(undefined)),
    'App.callWxMethod': async ({ method, args = [] }) => {
      const fn = wx[method];
      if (typeof fn !== 'function') throw new Error(`wx.${method} not exists`);
      return { result: await fn(...args) };
    },
    'App.mockWxMethod': ({ method, result, functionDeclaration, args }) => {
      // eslint-disable-next-line no-new-func
      const fn = functionDeclaration ? (new Function(`return (${functionDeclaration})`)() as (...a: unknown[]) => unknown) : undefined;
      mockWx(wx, method, fn ? { fn, args } : result !== undefined ? { result } : undefined);
      return {};
    },
    'App.callFunction': async ({ functionDeclaration, args = [] }) => {
      // eslint-disable-next-line no-new-func
      const fn = new Function(`return (${functionDeclaration})`)() as (...a: unknown[]) => unknown;
      return { result: plain(await fn(...args)) };
    },
    'Page.getElement': ({ pageId, selector }) => query(pageRoot(pageById(pageId)), selector, false),
    'Page.getElements': ({ pageId, selector }) => ({ elements: query(pageRoot(pageById(pageId)), selector, true) }),
    'Page.getData': ({ pageId, path }) => ({ data: plain(pick(router.instanceOf(pageById(pageId)).data, path)) }),
    'Page.setData': ({ pageId, data }) => router.instanceOf(pageById(pageId)).setData(data),
    'Page.callMethod': async ({ pageId, method, args = [] }) => {
      const inst = router.instanceOf(pageById(pageId));
      if (typeof inst[method] !== 'function') throw new Error(`page.${method} not exists`);
      return { result: plain(await inst[method](...args)) };
    },
    'Page.getWindowProperties': ({ names }) => ({
      properties: (names as string[]).map((n) => pick(window, n.replace(/^document\.(documentElement|body)\./, 'pvBody.'))),
    }),
    'Element.getElement': (p) => query(scopeOf(elementOf(p)), p.selector, false),
    'Element.getElements': (p) => ({ elements: query(scopeOf(elementOf(p)), p.selector, true) }),
    'Element.tap': (p) => dispatch(elementOf(p), 'tap', { x: 0, y: 0 }),
    'Element.triggerEvent': (p) => dispatch(elementOf(p), p.type, p.detail),
    'Element.getDOMProperties': (p) => ({ properties: (p.names as string[]).map((n) => plain((domOf(elementOf(p)) as any)[n])) }),
    'Element.getAttributes': (p) => {
      const dom = domOf(elementOf(p));
      return { attributes: (p.names as string[]).map((n) => (n === 'class' ? cleanHtml(dom.className) : dom.getAttribute(n))) };
    },
    'Element.getStyles': (p) => {
      const style = getComputedStyle(domOf(elementOf(p)));
      return { styles: (p.names as string[]).map((n) => style.getPropertyValue(n)) };
    },
    'Element.getProperties': (p) => {
      const node = elementOf(p);
      const caller = callerOf(node);
      return {
        properties: (p.names as string[]).map((n) => {
          if (n === '__propPublic') return Object.fromEntries(Object.keys(caller?.data ?? {}).map((k) => [k, true]));
          if (n === 'value' && caller?._field) return caller._field.value;
          return plain(caller?.data?.[n]);
        }),
      };
    },
    'Element.getWXML': (p) => {
      const dom = domOf(elementOf(p));
      return { wxml: cleanHtml(p.type === 'outer' ? dom.outerHTML : dom.innerHTML) };
    },
    'Element.getOffset': (p) => {
      const r = domOf(elementOf(p)).getBoundingClientRect();
      return { left: r.left, top: r.top };
    },
    'Element.getData': (p) => ({ data: plain(pick(callerOf(elementOf(p)).data, p.path)) }),
    'Element.setData': (p) => callerOf(elementOf(p)).setData(p.data),
    'Element.callMethod': async (p) => ({ result: plain(await callerOf(elementOf(p))[p.method](...(p.args ?? []))) }),
    'Element.callFunction': (p) => {
      const caller = callerOf(elementOf(p));
      if (p.functionName === 'input.input' || p.functionName === 'textarea.input') {
        caller.typeText(String(p.args?.[0] ?? ''));
        return { result: null };
      }
      throw new Error(`${p.functionName} is not supported by the preview`);
    },
  };
  (window as any).pvBody = document.getElementById('pv-body');
  return async (method, params) => {
    const handler = handlers[method];
    if (!handler) throw new Error(`${method} is not supported by the preview`);
    return (await handler(params ?? {})) ?? {};
  };
}
