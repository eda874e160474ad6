import exparser from 'miniprogram-exparser';
import * as router from './router';
import { classesOf, innerWxml, isCustom, outerWxml, select, selectXpath, tagOf } from './tree';
import { callElementFunction } from './element-functions';
import { touchHandlers } from './touch';
import { mockWx } from './wx';

/**
 * The miniprogram-automator methods, executed in the page: the preview server forwards each
 * WebSocket message `{ method, params }` here and sends back what this returns (or throws).
 */

const nodes = new Map<string, any>();
/** What each handle named when it was taken: the renderer reuses a node for whatever takes its place. */
const named = new Map<string, string>();
const nameOf = (node: any) => `${tagOf(node) ?? 'block'}#${node.id ?? ''}`;
const ids = new WeakMap<object, string>();
let nextId = 0;

function handleOf(node: any): { elementId: string; tagName: string; nodeId?: string } {
  let id = ids.get(node);
  // a node now holding another element gets a handle of its own; the old one stays refused
  if (!id || named.get(id) !== nameOf(node)) {
    id = `e${++nextId}`;
    ids.set(node, id);
    nodes.set(id, node);
    named.set(id, nameOf(node));
  }
  const tagName = tagOf(node) ?? 'block';
  return isCustom(node) ? { elementId: id, tagName, nodeId: id } : { elementId: id, tagName };
}

function pageById(pageId: number | undefined): router.PageRecord {
  const p = pageId === undefined ? router.currentPage() : router.stack.find((s) => s.id === pageId);
  if (!p) throw new Error(`page ${pageId} not found`);
  return p;
}

const pageInfo = (p: router.PageRecord) => ({ pageId: p.id, path: p.route, query: p.query });
const pageRoot = (p: router.PageRecord) => p.root._exparserNode.shadowRoot;

/** Still in the rendered page: a removed subtree loses its parent, a removed element its place in the DOM. */
function onPage(node: any): boolean {
  let n = node;
  while (n && !n.$$) n = n.parentNode;
  return !!n && document.getElementById('pv-body')!.contains(n.$$);
}

/**
 * A handle whose element a re-render removed answers an error, never the 0×0 of a detached node
 * nor the box of another element the renderer put in its node (another tag or id).
 */
export function elementOf(params: any): any {
  const node = nodes.get(params.elementId);
  if (!node) throw new Error(`element ${params.elementId} not found`);
  if (!onPage(node) || named.get(params.elementId) !== nameOf(node)) {
    throw new Error(`element ${params.elementId} (${tagOf(node) ?? 'block'}) is no longer on the page: query it again`);
  }
  return node;
}

function scopeOf(node: any): any {
  return node.shadowRoot && isCustom(node) ? node.shadowRoot : node;
}

function found(list: any[], all: boolean, what: string): any {
  if (all) return { elements: list.map(handleOf) };
  if (!list[0]) throw new Error(`element "${what}" not found`);
  return handleOf(list[0]);
}

const query = (scope: any, selector: string, all: boolean) => found(select(scope, selector), all, selector);
const byXpath = (scope: any, xpath: string, all: boolean) => found(selectXpath(scope, 'page', xpath), all, xpath);

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

const cleanHtml = (cls: string) => cls.replace(/\bc\d+--/g, '');

function plain(value: unknown): any {
  const json = JSON.stringify(value, (k, v) => (k === '__pv' || typeof v === 'function' ? undefined : v));
  return json === undefined ? null : JSON.parse(json);
}

function pick(data: any, path?: string): any {
  if (!path) return data;
  return path
    .split(/[.[\]]/)
    .filter(Boolean)
    .reduce((o, k) => (o == null ? undefined : o[k]), data);
}

function dispatch(node: any, type: string, detail: unknown): void {
  exparser.Event.dispatchEvent(
    node,
    exparser.Event.create(type, detail ?? {}, {
      bubbles: true,
      composed: true,
      capturePhase: true,
      extraFields: { touches: [], changedTouches: [] },
    }),
  );
}

const callerOf = (node: any) => exparser.Element.getMethodCaller(node);

/**
 * Calls that need WeChat itself (an account, a phone, the native UI): refused, as DevTools refuses
 * a call it cannot carry out, with the reason.
 */
const REFUSED: Record<string, string> = {
  'Tool.enableRemoteDebug': 'remote debugging needs WeChat on a phone',
  'Tool.getTestAccounts': 'test accounts belong to a logged-in DevTools',
  'Tool.stopAudits': 'audits are run by DevTools',
  'Tool.getTicket': 'tickets belong to a logged-in DevTools',
  'Tool.setTicket': 'tickets belong to a logged-in DevTools',
  'Tool.refreshTicket': 'tickets belong to a logged-in DevTools',
  'Tool.native': 'native dialogs are answered by the persona (auto=1 accepts them)',
  'Element.callContextMethod': 'the app has no video, audio, map or camera element',
};

/** What every element answers to `element.property()`, besides its component's own properties. */
const ELEMENT_PROPS = ['id', 'class', 'dataset'];

export function createAutomator(wx: any): (method: string, params: any) => Promise<unknown> {
  const handlers: Record<string, (params: any) => unknown> = {
    'Tool.getInfo': () => ({ SDKVersion: 'dev' }),
    'Tool.close': () => ({}),
    'App.exit': () => ({}),
    'App.enableLog': () => ({}),
    'App.addBinding': ({ name }) => {
      const valid = typeof name === 'string' && /^[A-Za-z_$][\w$]*$/.test(name);
      if (!valid) throw new Error(`invalid binding name: ${String(name)}`);
      (globalThis as any)[name] = (...args: unknown[]) => (globalThis as any).__pvBindingCalled(name, plain(args));
      return {};
    },
    'App.getPageStack': () => ({ pageStack: router.stack.map(pageInfo) }),
    'App.getCurrentPage': () => pageInfo(pageById(undefined)),
    'App.callWxMethod': async ({ method, args = [], pluginId }) => {
      if (pluginId) throw new Error(`plugin ${pluginId} not found: the app uses no plugins`);
      const fn = wx[method];
      if (typeof fn !== 'function') throw new Error(`wx.${method} not exists`);
      return { result: await fn(...args) };
    },
    'App.mockWxMethod': ({ method, result, functionDeclaration, args, pluginId }) => {
      if (pluginId) throw new Error(`plugin ${pluginId} not found: the app uses no plugins`);
      // eslint-disable-next-line no-new-func -- runs the function the automator client sent, as the real devtools do
      const declared = functionDeclaration ? new Function(`return (${functionDeclaration})`) : undefined;
      const fn = declared ? (declared() as (...a: unknown[]) => unknown) : undefined;
      mockWx(wx, method, fn ? { fn, args } : result !== undefined ? { result } : undefined);
      return {};
    },
    'App.callFunction': async ({ functionDeclaration, args = [] }) => {
      // eslint-disable-next-line no-new-func -- runs the function the automator client sent, as the real devtools do
      const fn = new Function(`return (${functionDeclaration})`)() as (...a: unknown[]) => unknown;
      return { result: plain(await fn(...args)) };
    },
    'Page.getElement': ({ pageId, selector }) => query(pageRoot(pageById(pageId)), selector, false),
    'Page.getElements': ({ pageId, selector }) => query(pageRoot(pageById(pageId)), selector, true),
    'Page.getElementByXpath': ({ pageId, selector }) => byXpath(pageRoot(pageById(pageId)), selector, false),
    'Page.getElementsByXpath': ({ pageId, selector }) => byXpath(pageRoot(pageById(pageId)), selector, true),
    'Page.getData': ({ pageId, path }) => ({ data: plain(pick(router.instanceOf(pageById(pageId)).data, path)) }),
    'Page.setData': ({ pageId, data }) => router.instanceOf(pageById(pageId)).setData(data),
    'Page.callMethod': async ({ pageId, method, args = [] }) => {
      const inst = router.instanceOf(pageById(pageId));
      if (typeof inst[method] !== 'function') throw new Error(`page.${method} not exists`);
      return { result: plain(await inst[method](...args)) };
    },
    'Page.getWindowProperties': ({ names }) => ({
      properties: (names as string[]).map((n) =>
        pick(window, n.replace(/^document\.(documentElement|body)\./, 'pvBody.')),
      ),
    }),
    'Element.getElement': (p) => query(scopeOf(elementOf(p)), p.selector, false),
    'Element.getElements': (p) => query(scopeOf(elementOf(p)), p.selector, true),
    'Element.dispatchEvent': (p) => dispatch(elementOf(p), p.eventName, p.detail ?? {}),
    ...touchHandlers(elementOf),
    'Element.tap': (p) => dispatch(elementOf(p), 'tap', { x: 0, y: 0 }),
    'Element.triggerEvent': (p) => dispatch(elementOf(p), p.type, p.detail),
    'Element.getDOMProperties': (p) => ({
      properties: (p.names as string[]).map((n) => plain((domOf(elementOf(p)) as any)[n])),
    }),
    'Element.getAttributes': (p) => {
      const dom = domOf(elementOf(p));
      const value = (n: string) => {
        if (n === 'class') return cleanHtml(dom.className);
        return n === 'id' ? elementOf(p).id || null : dom.getAttribute(n);
      };
      return { attributes: (p.names as string[]).map(value) };
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
          if (n === '__propPublic') {
            return Object.fromEntries([...ELEMENT_PROPS, ...Object.keys(caller?.data ?? {})].map((k) => [k, true]));
          }
          if (n === 'id') return node.id ?? '';
          if (n === 'class') return classesOf(node).join(' ');
          if (n === 'dataset') return plain(node.dataset ?? {});
          if (n === 'value' && caller?._field) return caller._field.value;
          return plain(caller?.data?.[n]);
        }),
      };
    },
    'Element.getWXML': (p) => ({ wxml: p.type === 'outer' ? outerWxml(elementOf(p)) : innerWxml(elementOf(p)) }),
    'Element.getOffset': (p) => {
      // the page's own coordinates: from the top-left of the page, scrolled content included
      const r = domOf(elementOf(p)).getBoundingClientRect();
      const body = document.getElementById('pv-body')!;
      const b = body.getBoundingClientRect();
      return { left: r.left - b.left + body.scrollLeft, top: r.top - b.top + body.scrollTop };
    },
    'Element.getData': (p) => ({ data: plain(pick(callerOf(elementOf(p)).data, p.path)) }),
    'Element.setData': (p) => callerOf(elementOf(p)).setData(p.data),
    'Element.callMethod': async (p) => ({ result: plain(await callerOf(elementOf(p))[p.method](...(p.args ?? []))) }),
    'Element.callFunction': (p) => callElementFunction(elementOf(p), p.functionName, p.args ?? []),
  };
  (window as any).pvBody = document.getElementById('pv-body');
  return async (method, params) => {
    const handler = handlers[method];
    if (REFUSED[method]) throw new Error(`${method} is not supported by the preview: ${REFUSED[method]}`);
    if (!handler) throw new Error(`unknown method: ${method}`);
    return (await handler(params ?? {})) ?? {};
  };
}
