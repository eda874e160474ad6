/**
 * A stand-in for the `wx` global in component tests: storage in a Map, a scripted
 * `wx.cloud.callFunction`, and a record of navigation, toasts, tab bar and title changes.
 * These are UI tests: the cloud answers are scripted here, not produced by a server.
 */
export type CloudAnswer = { result: unknown } | { fail: { errCode?: number; errMsg: string } };

export interface CloudCall {
  name: string;
  data: Record<string, unknown>;
}

export interface FakeWx {
  storage: Map<string, unknown>;
  calls: CloudCall[];
  /** Answers for the next calls, in order; when empty, `fallback` answers. */
  answers: CloudAnswer[];
  /** Standing answers by `function.action` (e.g. `admin.staff.me`), ahead of the queue: for calls a page makes alongside others. */
  routes: Record<string, CloudAnswer>;
  fallback: CloudAnswer;
  /** Holds every call until `release()` (to observe loading states). */
  hold(): void;
  release(): void;
  toasts: string[];
  navigations: string[];
  tabBarTexts: string[];
  /** Every navigation-bar title set, in order. */
  navigationTitles: string[];
  pullDownStops: number;
  systemLanguage: string;
  api: Record<string, unknown>;
}

export const ok = (data: unknown): CloudAnswer => ({ result: { ok: true, data } });
export const refused = (code: string, message: string): CloudAnswer => ({
  result: { ok: false, error: { code, message } },
});
export const networkDown = (): CloudAnswer => ({
  fail: { errCode: -1, errMsg: 'cloud.callFunction:fail request:fail timeout' },
});

export function createFakeWx(): FakeWx {
  let held: (() => void)[] | undefined;
  const fake: FakeWx = {
    storage: new Map(),
    calls: [],
    answers: [],
    routes: {},
    fallback: refused('NO_ANSWER', 'no scripted answer'),
    hold: () => {
      held = held ?? [];
    },
    release: () => {
      const waiting = held ?? [];
      held = undefined;
      waiting.forEach((go) => go());
    },
    toasts: [],
    navigations: [],
    tabBarTexts: [],
    navigationTitles: [],
    pullDownStops: 0,
    systemLanguage: 'zh_CN',
    api: {},
  };
  const answer = (req: { name: string; data: Record<string, unknown> }): Promise<{ result: unknown }> => {
    const next = fake.routes[`${req.name}.${String(req.data['action'])}`] ?? fake.answers.shift() ?? fake.fallback;
    return 'fail' in next ? Promise.reject(next.fail) : Promise.resolve({ result: next.result });
  };
  fake.api = {
    cloud: {
      init: () => undefined,
      callFunction: (req: { name: string; data: Record<string, unknown> }) => {
        fake.calls.push({ name: req.name, data: req.data });
        if (!held) return answer(req);
        return new Promise((resolve, reject) => held!.push(() => answer(req).then(resolve, reject)));
      },
    },
    getStorageSync: (key: string) => (fake.storage.has(key) ? fake.storage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => void fake.storage.set(key, value),
    getAppBaseInfo: () => ({ language: fake.systemLanguage }),
    setTabBarItem: (o: { index: number; text: string }) => void (fake.tabBarTexts[o.index] = o.text),
    setTabBarStyle: () => undefined,
    setNavigationBarTitle: (o: { title: string }) => void fake.navigationTitles.push(o.title),
    stopPullDownRefresh: () => void fake.pullDownStops++,
    showToast: (o: { title: string }) => void fake.toasts.push(o.title),
    previewImage: (o: { current: string }) => void fake.navigations.push(`preview:${o.current}`),
    navigateTo: (o: { url: string; fail?: () => void }) => {
      fake.navigations.push(o.url);
      o.fail?.(); // no page beyond the tab pages exists in these tests
    },
  };
  return fake;
}

/** Installs a fresh fake as the global `wx`. */
export function installFakeWx(): FakeWx {
  const fake = createFakeWx();
  (globalThis as { wx?: unknown }).wx = fake.api;
  return fake;
}
