/** Small DOM helpers for the console: elements built with textContent only (never innerHTML), tables, fetch. */

export type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | ((ev: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, ''), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'number' ? String(child) : child);
  }
  return el;
}

/** Chinese first, English in small text. */
export const bi = (zh: string, en: string): HTMLSpanElement => h('span', {}, zh, ' ', h('small', {}, en));

export const empty = (): HTMLElement => h('p', { class: 'empty' }, '暂无数据 ', h('small', {}, 'No data'));

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`console markup lacks #${id}`);
  return el as T;
}

const shown = new Map<string, string>();

/** Replaces a region's content only when its data changed, so refreshes keep focus, scroll and selection. */
export function show(id: string, signature: string, build: () => Node | Node[]): void {
  if (shown.get(id) === signature) return;
  shown.set(id, signature);
  const content = build();
  byId(id).replaceChildren(...(Array.isArray(content) ? content : [content]));
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, { cache: 'no-store', ...init });
  const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
  if (!res.ok) throw new ApiError(body.message ?? `${res.status} ${res.statusText}`, body.code);
  return body as T;
}

export const postJson = <T>(path: string, body: unknown): Promise<T> =>
  api<T>(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Emulator-clock instants, shown in Beijing time (the brands' time zone). */
export const time = (iso: string): string =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

export const pretty = (value: unknown): string => JSON.stringify(value, null, 2) ?? 'undefined';

/** One line for a table cell: strings as they are, EJSON dates as their instant, the rest as compact JSON. */
export function brief(value: unknown, max = 60): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value && typeof value === 'object' && '$date' in value && Object.keys(value).length === 1)
    text = String((value as { $date: unknown }).$date);
  else text = JSON.stringify(value) ?? '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface Column {
  zh: string;
  en: string;
  num?: boolean;
}

export interface RowTableSpec<T> {
  label: string;
  columns: Column[];
  items: T[];
  key: (item: T) => string;
  cells: (item: T) => Child[];
  detail: (item: T) => Node;
  selected: string | undefined;
  onSelect: (key: string | undefined) => void;
}

/** A table whose rows open a detail row below them; the first cell holds the row's real button. */
export function rowTable<T>(spec: RowTableSpec<T>): HTMLElement {
  if (spec.items.length === 0) return empty();
  const head = h(
    'tr',
    {},
    spec.columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : undefined }, bi(c.zh, c.en))),
  );
  const body = h('tbody');
  for (const item of spec.items) {
    const key = spec.key(item);
    const open = key === spec.selected;
    const toggle = () => spec.onSelect(open ? undefined : key);
    const [first, ...rest] = spec.cells(item);
    const button = h(
      'button',
      {
        type: 'button',
        'aria-expanded': String(open),
        class: 'mono',
        onclick: (ev) => (ev.stopPropagation(), toggle()),
      },
      first,
    );
    const cells = [
      h('td', {}, button),
      ...rest.map((c, i) => h('td', { class: spec.columns[i + 1]?.num ? 'num' : undefined }, c)),
    ];
    body.append(h('tr', { class: open ? 'clickable selected' : 'clickable', 'data-key': key, onclick: toggle }, cells));
    if (open) body.append(h('tr', {}, h('td', { class: 'detail', colspan: spec.columns.length }, spec.detail(item))));
  }
  return h('table', { 'aria-label': spec.label }, h('thead', {}, head), body);
}

export function jsonBlock(title: Node, value: unknown): HTMLElement {
  return h('div', {}, h('h3', {}, title), h('pre', {}, typeof value === 'string' ? value : pretty(value)));
}

export function outcomeCell(ok: boolean, text: string, title?: string): HTMLElement {
  return h('span', { class: ok ? 'ok' : 'bad', title }, text);
}
