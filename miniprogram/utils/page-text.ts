import type { Lang } from '../i18n/lang';

/**
 * A page's words as read from its `zh.json` (the other languages have the same keys): the strings
 * keep their names, and every table of strings can also be looked up by a key known only at run
 * time (a status, an error code), which may be missing.
 */
export type PageText<T> = {
  [K in keyof T]: T[K] extends string
    ? string
    : T[K] extends Record<string, string>
      ? T[K] & Record<string, string>
      : PageText<T[K]>;
};

/** A page's words in every language. */
export type PageTexts<T> = Record<Lang, T>;
