import jComponent from 'j-component';
import { appPackage, registerPage } from './loader';

/**
 * The page stack: pages are the app's `Component({...})` definitions rendered by j-component
 * into the frame; tab pages stay alive while hidden, like WeChat's. Also the navigation bar and
 * the tab bar, which the platform (not the page) draws.
 */

export interface PageRecord {
  id: number;
  route: string;
  query: Record<string, string>;
  root: any;
  holder: HTMLElement;
  title?: string;
}

/** Page ids stay unique across reloads (automator caches pages by id). */
let seq = Date.now();
export const stack: PageRecord[] = [];
const tabPages = new Map<string, PageRecord>();
const tabBarState = {
  items: [] as { pagePath: string; text: string; iconPath?: string; selectedIconPath?: string }[],
  color: '#8a8580',
  selectedColor: '#1f1f1f',
  backgroundColor: '#ffffff',
};

const body = () => document.getElementById('pv-body')!;

export function parseUrl(
  url: string,
  from = currentPage()?.route ?? '',
): { route: string; query: Record<string, string> } {
  const [path = '', qs = ''] = url.split('?');
  const base = path.startsWith('/') ? path.slice(1) : [...from.split('/').slice(0, -1), path].join('/');
  const parts: string[] = [];
  for (const p of base.split('/')) {
    if (p === '..') parts.pop();
    else if (p && p !== '.') parts.push(p);
  }
  const query: Record<string, string> = {};
  for (const pair of qs.split('&').filter(Boolean)) {
    const [k = '', v = ''] = pair.split('=');
    query[decodeURIComponent(k)] = decodeURIComponent(v);
  }
  return { route: parts.join('/'), query };
}

export const isTab = (route: string) => tabBarState.items.some((t) => t.pagePath === route);
export const pageExists = (route: string) =>
  appPackage().appJson.pages.includes(route) || route in appPackage().components;
export const currentPage = (): PageRecord | undefined => stack[stack.length - 1];
export const instanceOf = (p: PageRecord): any => p.root.instance;

function call(p: PageRecord, name: string, ...args: unknown[]): void {
  const inst = instanceOf(p);
  const fn = inst?.[name];
  try {
    if (typeof fn === 'function') fn.apply(inst, args);
    const life: Record<string, string> = { onShow: 'show', onHide: 'hide', onResize: 'resize' };
    if (life[name]) p.root.triggerPageLifeTime(life[name], ...args);
  } catch (e) {
    console.error(`${p.route}.${name} threw`, e);
  }
}

function create(route: string, query: Record<string, string>): PageRecord {
  const id = registerPage(route);
  const holder = document.createElement('div');
  holder.className = 'pv-page';
  holder.dataset.route = route;
  body().appendChild(holder);
  const root = jComponent.create(id);
  const record: PageRecord = { id: ++seq, route, query, root, holder };
  const inst = instanceOf(record);
  inst.route = route;
  inst.__route__ = route;
  inst.options = query;
  root.attach(holder);
  call(record, 'onLoad', { ...query });
  return record;
}

function show(p: PageRecord): void {
  for (const other of body().querySelectorAll<HTMLElement>('.pv-page')) other.hidden = other !== p.holder;
  body().scrollTop = 0;
  call(p, 'onShow');
  renderChrome();
}

function destroy(p: PageRecord): void {
  call(p, 'onUnload');
  p.root.detach();
  p.holder.remove();
}

export function navigateTo(url: string): void {
  const { route, query } = parseUrl(url);
  if (!pageExists(route)) throw new Error(`navigateTo:fail page "${route}" is not found`);
  if (isTab(route)) throw new Error('navigateTo:fail can not navigateTo a tabbar page');
  const from = currentPage();
  if (from) call(from, 'onHide');
  const p = create(route, query);
  stack.push(p);
  show(p);
}

export function redirectTo(url: string): void {
  const { route, query } = parseUrl(url);
  if (!pageExists(route)) throw new Error(`redirectTo:fail page "${route}" is not found`);
  const from = stack.pop();
  if (from && !tabPages.has(from.route)) destroy(from);
  const p = create(route, query);
  stack.push(p);
  show(p);
}

export function navigateBack(delta = 1): void {
  if (stack.length <= 1) throw new Error('navigateBack:fail cannot navigate back at first page.');
  for (let i = 0; i < delta && stack.length > 1; i++) {
    const p = stack.pop()!;
    if (tabPages.has(p.route)) call(p, 'onHide');
    else destroy(p);
  }
  show(currentPage()!);
}

export function switchTab(url: string): void {
  const { route } = parseUrl(url);
  if (!isTab(route)) throw new Error(`switchTab:fail can not switch to no-tabBar page`);
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (tabPages.has(p.route)) call(p, 'onHide');
    else destroy(p);
  }
  let p = tabPages.get(route);
  if (!p) {
    p = create(route, {});
    tabPages.set(route, p);
  }
  stack.push(p);
  show(p);
}

export function reLaunch(url: string): void {
  const { route, query } = parseUrl(url, '');
  for (const p of [...stack, ...tabPages.values()]) if (p.holder.isConnected) destroy(p);
  stack.length = 0;
  tabPages.clear();
  if (isTab(route)) switchTab(`/${route}`);
  else {
    const p = create(route, query);
    stack.push(p);
    show(p);
  }
}

export function setTitle(title: string): void {
  const p = currentPage();
  if (p) p.title = title;
  renderChrome();
}

export function setTabBarItem(index: number, text?: string): void {
  const item = tabBarState.items[index];
  if (!item) throw new Error('setTabBarItem:fail tabbar item not found');
  if (text !== undefined) item.text = text;
  renderChrome();
}

export function setTabBarStyle(o: { color?: string; selectedColor?: string; backgroundColor?: string }): void {
  Object.assign(
    tabBarState,
    Object.fromEntries(Object.entries(o).filter(([k, v]) => typeof v === 'string' && k in tabBarState)),
  );
  renderChrome();
}

export function initChrome(): void {
  const tabBar = appPackage().appJson.tabBar;
  if (tabBar) {
    tabBarState.items = tabBar.list.map((t) => ({ ...t }));
    setTabBarStyle(tabBar);
  }
  document.getElementById('pv-back')!.addEventListener('click', () => navigateBack());
  document.getElementById('pv-tabbar')!.addEventListener('click', (e) => {
    const path = (e.target as HTMLElement).closest<HTMLElement>('[data-path]')?.dataset.path;
    if (path && path !== currentPage()?.route) switchTab(`/${path}`);
  });
}

/** Navigation bar title, back button and tab bar for the current page. */
export function renderChrome(): void {
  const p = currentPage();
  const win = (appPackage().appJson.window ?? {}) as Record<string, string>;
  const pageJson = (p && appPackage().components[p.route]?.json) ?? {};
  document.getElementById('pv-title')!.textContent =
    p?.title ?? (pageJson.navigationBarTitleText as string) ?? win.navigationBarTitleText ?? '';
  document.getElementById('pv-back')!.hidden = stack.length <= 1;
  const bar = document.getElementById('pv-tabbar')!;
  const onTab = !!p && isTab(p.route);
  bar.hidden = !onTab;
  bar.style.background = tabBarState.backgroundColor;
  bar.innerHTML = tabBarState.items
    .map((t, i) => {
      const active = p?.route === t.pagePath;
      const color = active ? tabBarState.selectedColor : tabBarState.color;
      return `<button class="pv-tab${active ? ' pv-tab-active' : ''}" id="pv-tab-${i}" role="tab" aria-selected="${active}" data-path="${t.pagePath}" style="color:${color}">${icon(t, active, color)}${t.text.replace(/</g, '&lt;')}</button>`;
    })
    .join('');
}

/** The item's image from the package (`iconPath` / `selectedIconPath`); without one, a plain outline. */
function icon(t: (typeof tabBarState.items)[number], active: boolean, color: string): string {
  const path = active ? (t.selectedIconPath ?? t.iconPath) : t.iconPath;
  if (path) return `<img class="pv-tab-icon" alt="" src="/${path.replace(/^\/+/, '').replace(/"/g, '')}">`;
  return `<span class="pv-tab-dot" style="background:${active ? color : 'transparent'};border-color:${color}"></span>`;
}
