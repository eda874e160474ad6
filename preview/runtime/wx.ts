import type { Persona } from '../personas';
import * as router from './router';
import { createSelectorQuery } from './selector-query';
import * as ui from './ui';

/**
 * The `wx` object the app calls: cloud calls go to the emulator as the persona, storage is
 * localStorage (one namespace per persona), navigation is the router, UI is drawn in the frame.
 * Async APIs take success/fail/complete and return a promise, as the base library does.
 */

export interface WxOptions {
  persona: Persona;
  /** Answer prompts (subscribe messages) without asking: tests. */
  autoAccept: boolean;
  systemLanguage: string;
  /** CSS pixels across the phone (375 unless the preview is opened with `width=`). */
  width?: number;
}

type Api = (...args: any[]) => any;
const mocks = new Map<string, Api>();
/** The phone's clipboard: the page's own, as in the simulator (the browser's needs a permission headless runs lack). */
let clipboard = '';

/** The platform's storage report: this persona's keys, the KB they take and the 10 MB a user gets. */
function storageInfo(ns: string): { keys: string[]; currentSize: number; limitSize: number } {
  const keys = Object.keys(localStorage).filter((k) => k.startsWith(ns));
  const bytes = keys.reduce((n, k) => n + k.length - ns.length + (localStorage.getItem(k)?.length ?? 0), 0);
  return { keys: keys.map((k) => k.slice(ns.length)), currentSize: Math.ceil(bytes / 1024), limitSize: 10240 };
}

function asyncApi(name: string, run: (o: any) => any): Api {
  return (o: any = {}) => {
    const p = Promise.resolve()
      .then(() => run(o))
      .then((res) => ({ errMsg: `${name}:ok`, ...(res ?? {}) }));
    if (o.success || o.fail || o.complete) {
      p.then(
        (res) => {
          o.success?.(res);
          o.complete?.(res);
        },
        (err) => {
          const e = {
            errMsg: `${name}:fail ${err?.errMsg ?? err?.message ?? err}`,
            ...(err?.errCode !== undefined ? { errCode: err.errCode } : {}),
          };
          o.fail?.(e);
          o.complete?.(e);
        },
      );
      return undefined;
    }
    return p.catch((err) => {
      throw err?.errMsg ? err : { errMsg: `${name}:fail ${err?.message ?? err}` };
    });
  };
}

export function createWx(opts: WxOptions): any {
  const ns = `pv:${opts.persona.id}:`;
  const width = opts.width ?? 375;
  const info = () => ({
    brand: 'preview',
    model: 'iPhone (preview)',
    system: 'iOS 17.0',
    platform: 'devtools',
    version: '8.0.50',
    SDKVersion: '3.5.0',
    language: opts.systemLanguage,
    pixelRatio: 2,
    screenWidth: width,
    screenHeight: 812,
    windowWidth: width,
    windowHeight: 812 - 88 - 50,
    statusBarHeight: 44,
    safeArea: { left: 0, right: width, top: 44, bottom: 812, width, height: 768 },
    theme: 'light',
    fontSizeSetting: 16,
  });
  const api: Record<string, any> = {
    cloud: {
      init: () => undefined,
      callFunction: asyncApi('cloud.callFunction', async (o: { name: string; data?: unknown }) => {
        const res = await fetch(`/cloud/${encodeURIComponent(o.name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ openid: opts.persona.openid, data: o.data ?? {} }),
        });
        const body = (await res.json()) as { result?: unknown; errCode?: number; errMsg?: string; requestId?: string };
        if (body.errCode !== undefined && body.errCode !== 0) throw { errCode: body.errCode, errMsg: body.errMsg };
        return { result: body.result, requestId: body.requestId };
      }),
    },
    getStorageSync: (key: string) => {
      const raw = localStorage.getItem(ns + key);
      return raw === null ? '' : JSON.parse(raw);
    },
    setStorageSync: (key: string, value: unknown) => localStorage.setItem(ns + key, JSON.stringify(value)),
    removeStorageSync: (key: string) => localStorage.removeItem(ns + key),
    clearStorageSync: () =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith(ns))
        .forEach((k) => localStorage.removeItem(k)),
    getStorage: asyncApi('getStorage', (o) => {
      const raw = localStorage.getItem(ns + o.key);
      if (raw === null) throw new Error('data not found');
      return { data: JSON.parse(raw) };
    }),
    setStorage: asyncApi('setStorage', (o) => void localStorage.setItem(ns + o.key, JSON.stringify(o.data))),
    removeStorage: asyncApi('removeStorage', (o) => void localStorage.removeItem(ns + o.key)),
    getStorageInfoSync: () => storageInfo(ns),
    getStorageInfo: asyncApi('getStorageInfo', () => storageInfo(ns)),
    getSystemInfoSync: info,
    getSystemInfo: asyncApi('getSystemInfo', info),
    getWindowInfo: info,
    getDeviceInfo: info,
    getAppBaseInfo: info,
    getLaunchOptionsSync: () => ({ ...opts.persona.launch, query: { ...opts.persona.launch.query }, referrerInfo: {} }),
    getEnterOptionsSync: () => ({ ...opts.persona.launch, query: { ...opts.persona.launch.query }, referrerInfo: {} }),
    canIUse: () => true,
    nextTick: (fn: () => void) => void Promise.resolve().then(fn),
    navigateTo: asyncApi('navigateTo', (o) => router.navigateTo(o.url)),
    redirectTo: asyncApi('redirectTo', (o) => router.redirectTo(o.url)),
    navigateBack: asyncApi('navigateBack', (o) => router.navigateBack(o.delta ?? 1)),
    switchTab: asyncApi('switchTab', (o) => router.switchTab(o.url)),
    reLaunch: asyncApi('reLaunch', (o) => router.reLaunch(o.url)),
    showToast: asyncApi('showToast', (o) => ui.showToast(o)),
    hideToast: asyncApi('hideToast', () => ui.hideToast()),
    showLoading: asyncApi('showLoading', (o) => ui.showLoading(o)),
    hideLoading: asyncApi('hideLoading', () => ui.hideToast()),
    showModal: asyncApi('showModal', (o) => ui.showModal(o)),
    showActionSheet: asyncApi('showActionSheet', async (o) => {
      const tapIndex = await ui.pickFrom('', o.itemList ?? []);
      if (tapIndex < 0) throw new Error('cancel');
      return { tapIndex };
    }),
    setNavigationBarTitle: asyncApi('setNavigationBarTitle', (o) => router.setTitle(o.title)),
    setNavigationBarColor: asyncApi('setNavigationBarColor', () => undefined),
    setTabBarItem: asyncApi('setTabBarItem', (o) => router.setTabBarItem(o.index, o.text)),
    setTabBarStyle: asyncApi('setTabBarStyle', (o) => router.setTabBarStyle(o)),
    showTabBarRedDot: asyncApi('showTabBarRedDot', () => undefined),
    hideTabBarRedDot: asyncApi('hideTabBarRedDot', () => undefined),
    startPullDownRefresh: asyncApi('startPullDownRefresh', () => {
      const p = router.currentPage();
      if (p) router.instanceOf(p).onPullDownRefresh?.();
    }),
    stopPullDownRefresh: asyncApi('stopPullDownRefresh', () => undefined),
    pageScrollTo: asyncApi(
      'pageScrollTo',
      (o) => void (document.getElementById('pv-body')!.scrollTop = o.scrollTop ?? 0),
    ),
    scanCode: asyncApi('scanCode', async () => {
      const codes = (await (await fetch('/codes')).json()) as { label: string; result: string }[];
      const typed = '手动输入 Type a code…';
      const i = await ui.pickFrom('扫码 Scan a code', [...codes.map((c) => `${c.label} · ${c.result}`), typed]);
      if (i < 0) throw new Error('cancel');
      const result = i === codes.length ? window.prompt('Code') : codes[i]!.result;
      if (!result) throw new Error('cancel');
      return { result, scanType: 'QR_CODE', charSet: 'utf-8', path: '' };
    }),
    requestSubscribeMessage: asyncApi('requestSubscribeMessage', async (o: { tmplIds: string[] }) => {
      const accept =
        opts.autoAccept ||
        (await ui.pickFrom('订阅消息 Subscribe to notifications', ['允许 Allow', '拒绝 Reject'])) === 0;
      return Object.fromEntries(o.tmplIds.map((id) => [id, accept ? 'accept' : 'reject']));
    }),
    login: asyncApi('login', () => ({ code: `preview_${opts.persona.openid}` })),
    vibrateShort: asyncApi('vibrateShort', () => undefined),
    setClipboardData: asyncApi('setClipboardData', (o: { data: string }) => void (clipboard = String(o.data))),
    getClipboardData: asyncApi('getClipboardData', () => ({ data: clipboard })),
    createSelectorQuery,
  };
  return new Proxy(api, { get: (target, key: string) => (mocks.has(key) ? mocks.get(key) : target[key]) });
}

/** `App.mockWxMethod`: a fixed result, a function run in the page (with `this.origin`), or removal. */
export function mockWx(
  wx: any,
  method: string,
  mock: { result?: unknown; fn?: Api; args?: unknown[] } | undefined,
): void {
  if (!mock) {
    mocks.delete(method);
    return;
  }
  mocks.delete(method);
  const origin = wx[method];
  const sync = method.endsWith('Sync');
  mocks.set(method, (o: any = {}, ...rest: unknown[]) => {
    const value = mock.fn ? mock.fn.apply({ origin }, [o, ...rest, ...(mock.args ?? [])]) : mock.result;
    if (sync) return value;
    return Promise.resolve(value).then((res: any) => {
      o?.success?.(res);
      o?.complete?.(res);
      return res;
    });
  });
}
