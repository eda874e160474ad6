import { brand, themeStyle } from '../config/brand';
import { applyTabBar, dict, getLang, type Dict, type Lang } from '../i18n/index';
import { showTitle } from './page-title';

/** Data every page starts with: its text in the current language, the brand and its theme. */
export interface BaseData {
  lang: Lang;
  text: Dict;
  theme: string;
  brandName: string;
  logoText: string;
}

export function baseData(): BaseData {
  const lang = getLang();
  return { lang, text: dict(lang), theme: themeStyle(), brandName: brand.name[lang], logoText: brand.logoText };
}

/** A page's navigation-bar title in the language of `base`. */
export type TitleOf = (base: BaseData) => string;

/** Data set in the same `setData` as the base data: text worded in its language (and, on load, what the query gives). */
export type DataOf = (base: BaseData) => Record<string, unknown>;

/** What the language helpers need of a page. */
export interface LanguagePage {
  readonly data: { readonly lang: Lang };
  setData(patch: BaseData): void;
}

/**
 * The title and page data of a page with its own dictionary (`text.ts`: `{ zh, en }`): the
 * dictionary's `title` (or what `titleOf` picks) on the bar, the dictionary itself as `t`.
 */
export function ownText<T extends { title: string }>(
  texts: Readonly<Record<Lang, T>>,
  titleOf: (t: T) => string = (t) => t.title,
): { title: TitleOf; pageText: (base: BaseData) => { t: T } } {
  return { title: (base) => titleOf(texts[base.lang]), pageText: (base) => ({ t: texts[base.lang] }) };
}

/** Tab pages carry the brand name as their title. */
export const brandTitle: TitleOf = (base) => base.brandName;

/** Shows the page in the current language: the base data (with `more`) in one `setData`, then the title. */
export function showInLanguage(page: LanguagePage, title?: TitleOf, more?: DataOf): void {
  const base = baseData();
  page.setData(more ? { ...base, ...more(base) } : base);
  if (title) showTitle(title(base));
}

/**
 * On show: the tab bar follows the language, and a language changed on another page is shown as
 * `showInLanguage` does. True when it changed, for pages that have more to redo.
 */
export function followLanguage(page: LanguagePage, title?: TitleOf, more?: DataOf): boolean {
  applyTabBar();
  if (page.data.lang === getLang()) return false;
  showInLanguage(page, title, more);
  return true;
}

/** What `loadedInLanguage` needs of a page: the language helpers' needs and `load` (the `loadable` behaviour's). */
interface LoadingPage extends LanguagePage {
  load(): Promise<void>;
}

/**
 * The `onLoad` and `onShow` of a page that loads when opened: shown in the current language, then
 * loaded; on show, a language changed elsewhere is shown (and with `reload`, the page loaded again).
 */
export function loadedInLanguage(title?: TitleOf, more?: DataOf, reload = false) {
  return {
    onLoad(this: LoadingPage): void {
      showInLanguage(this, title, more);
      void this.load();
    },
    onShow(this: LoadingPage): void {
      if (followLanguage(this, title, more) && reload) void this.load();
    },
  };
}

/** A page that words its own text in `applyLang` (its dictionary, title and what is built from them). */
interface OwnTextPage extends LoadingPage {
  applyLang(): void;
}

/** As `loadedInLanguage`, for a page that words its own text in `applyLang`. */
export function loadedWithOwnText(reload = false) {
  return {
    onLoad(this: OwnTextPage): void {
      showInLanguage(this);
      this.applyLang();
      void this.load();
    },
    onShow(this: OwnTextPage): void {
      if (!followLanguage(this)) return;
      this.applyLang();
      if (reload) void this.load();
    },
  };
}
