import { brand, themeStyle } from '../config/brand';
import { applyTabBar, dict, getLang, type Dict, type Lang } from '../i18n/index';

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

/** On show: a language changed on another page is picked up; the tab bar follows. */
export function languageChanged(shown: Lang): BaseData | undefined {
  applyTabBar();
  return shown === getLang() ? undefined : baseData();
}
