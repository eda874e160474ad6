import * as router from './router';

/**
 * `wx.createSelectorQuery()` over the rendered page: `.in(component)` scopes the query to that
 * component's template (else the current page), `select`/`selectAll` find elements by the engine's
 * selectors, and `fields`/`boundingClientRect`/`node` describe them from the browser's layout.
 * A `canvas` node is the real HTML `<canvas>` the preview draws into (its 2D context is the W3C
 * API that the Mini Program's `type="2d"` canvas mirrors). Answers arrive asynchronously, as on a phone.
 */

interface Fields {
  id?: boolean;
  dataset?: boolean;
  rect?: boolean;
  size?: boolean;
  node?: boolean;
  scrollOffset?: boolean;
  properties?: string[];
  computedStyle?: string[];
}
type Callback = (result: any) => void;
interface Request {
  selector: string | null;
  all: boolean;
  fields: Fields;
  cb?: Callback;
}

const domOf = (el: any): HTMLElement | undefined => el?.$$;

/** The HTML canvas the preview's `canvas` built-in holds. */
export const canvasOf = (dom: HTMLElement | undefined): HTMLCanvasElement | null =>
  (dom?.querySelector(':scope > canvas.pv-canvas') as HTMLCanvasElement | null) ?? null;

function describe(el: any, f: Fields): Record<string, unknown> {
  const dom = domOf(el);
  const out: Record<string, unknown> = {};
  if (f.id) out.id = el.id ?? dom?.id ?? '';
  if (f.dataset) out.dataset = { ...(el.dataset ?? {}) };
  if (f.rect || f.size) {
    const r = dom?.getBoundingClientRect();
    if (f.rect)
      Object.assign(out, { left: r?.left ?? 0, top: r?.top ?? 0, right: r?.right ?? 0, bottom: r?.bottom ?? 0 });
    if (f.size) Object.assign(out, { width: r?.width ?? 0, height: r?.height ?? 0 });
  }
  if (f.scrollOffset) Object.assign(out, { scrollLeft: dom?.scrollLeft ?? 0, scrollTop: dom?.scrollTop ?? 0 });
  if (f.node) out.node = canvasOf(dom);
  if (f.computedStyle && dom) {
    const style = getComputedStyle(dom);
    for (const name of f.computedStyle)
      out[name] = style.getPropertyValue(name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
  }
  if (f.properties) {
    const caller = el.__wxElement ?? el;
    for (const name of f.properties) out[name] = caller.data?.[name] ?? caller[name];
  }
  return out;
}

function scopeOf(component: any): any {
  const own = component?._exparserNode?.shadowRoot;
  if (own) return own;
  const page = router.currentPage();
  return page ? page.root._exparserNode.shadowRoot : undefined;
}

function answer(scope: any, req: Request): unknown {
  if (req.selector === null) {
    const body = document.getElementById('pv-body');
    return {
      ...(req.fields.size ? { width: body?.clientWidth ?? 0, height: body?.clientHeight ?? 0 } : {}),
      ...(req.fields.scrollOffset ? { scrollLeft: body?.scrollLeft ?? 0, scrollTop: body?.scrollTop ?? 0 } : {}),
    };
  }
  if (req.all) return ((scope?.querySelectorAll?.(req.selector) ?? []) as any[]).map((el) => describe(el, req.fields));
  const el = scope?.querySelector?.(req.selector);
  return el ? describe(el, req.fields) : null;
}

export function createSelectorQuery(): any {
  let component: any;
  const requests: Request[] = [];
  const nodesRef = (selector: string | null, all: boolean) => {
    const add = (fields: Fields, cb?: Callback) => {
      requests.push({ selector, all, fields, cb });
      return query;
    };
    return {
      fields: (fields: Fields, cb?: Callback) => add(fields, cb),
      boundingClientRect: (cb?: Callback) => add({ id: true, dataset: true, rect: true, size: true }, cb),
      scrollOffset: (cb?: Callback) => add({ id: true, dataset: true, scrollOffset: true }, cb),
      node: (cb?: Callback) => add({ node: true }, cb),
    };
  };
  const query = {
    in(c: any) {
      component = c;
      return query;
    },
    select: (selector: string) => nodesRef(selector, false),
    selectAll: (selector: string) => nodesRef(selector, true),
    selectViewport: () => nodesRef(null, false),
    exec(cb?: (results: unknown[]) => void) {
      setTimeout(() => {
        const scope = scopeOf(component);
        const results = requests.map((r) => {
          const res = answer(scope, r);
          r.cb?.(res);
          return res;
        });
        cb?.(results);
      }, 0);
      return query;
    },
  };
  return query;
}
