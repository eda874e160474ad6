import en from './en.json';
import type { Lang } from './lang';
import zh from './zh.json';

export type { Lang };

/**
 * The app's words, Chinese first in `zh.json`; `en.json` has exactly the same keys. Among them:
 * `errors` by the server's stable error code (`core/errors.ts` and the contracts), shown instead of
 * the server's text; `offerBlocked`, why an offer cannot be claimed now, by error code; `tier`, the
 * demo brand's tier ids until the login's card view carries the tier's name.
 */
export type Dict = typeof zh;

/** Dotted paths to every string of the dictionary, e.g. 'home.claimCta'. */
export type TextKey = { [S in keyof Dict]: `${S & string}.${keyof Dict[S] & string}` }[keyof Dict];

const dictionaries: Record<Lang, Dict> = { zh, en };
export const LANG_STORAGE_KEY = 'lang';
let current: Lang | undefined;

/** 'zh_CN', 'zh-Hant', 'en-US' → our language; anything not Chinese or English falls back to Chinese. */
export function langOf(tag: string | undefined): Lang {
  const t = (tag ?? '').toLowerCase();
  return t.startsWith('en') ? 'en' : 'zh';
}

function systemLanguage(): string | undefined {
  try {
    if (typeof wx.getAppBaseInfo === 'function') return wx.getAppBaseInfo().language;
  } catch {
    // older base libraries: fall through
  }
  return undefined;
}

/** The chosen language: the one saved in storage, else the WeChat language. */
export function getLang(): Lang {
  if (current) return current;
  const saved: unknown = wx.getStorageSync(LANG_STORAGE_KEY);
  current = saved === 'zh' || saved === 'en' ? saved : langOf(systemLanguage());
  return current;
}

export function setLang(lang: Lang): void {
  current = lang;
  wx.setStorageSync(LANG_STORAGE_KEY, lang);
  applyTabBar();
}

/**
 * Forgets the cached choice (tests; a new launch).
 * @public tests call it on the built app, out of the static import graph
 */
export function resetLang(): void {
  current = undefined;
}

/** A brand-data text given in both languages (`{ zh, en? }`) in the reader's language; Chinese when there is no English. */
export const textIn = (t: { zh: string; en?: string }, lang: Lang): string => (lang === 'en' && t.en ? t.en : t.zh);

export function dict(lang: Lang = getLang()): Dict {
  return dictionaries[lang];
}

/** `t('home.welcome', { brand: '苏韵' })` → '欢迎来到苏韵'. */
export function t(key: TextKey, params: Record<string, string | number> = {}, lang: Lang = getLang()): string {
  const [section, name] = key.split('.') as [keyof Dict, string];
  const text = (dictionaries[lang][section] as Record<string, string>)[name] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, p: string) => (p in params ? String(params[p]) : whole));
}

const TAB_KEYS: TextKey[] = ['tab.home', 'tab.coupons', 'tab.appointments', 'tab.me'];

/** Tab bar labels follow the language; only a tab page can call this, so failures are ignored. */
export function applyTabBar(): void {
  if (typeof wx.setTabBarItem !== 'function') return;
  TAB_KEYS.forEach((key, index) => wx.setTabBarItem({ index, text: t(key), fail: () => undefined }));
}
