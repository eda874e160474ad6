import type { Lang } from '../i18n/lang';
import { baseData } from '../utils/page-base';
import { loadable } from './loadable';

/**
 * Where a loadable page with its own words starts: the `loadable` behaviour, the base data, its words
 * as `t` (Chinese until the page is shown in its language), the text of an empty page picked from
 * them, and the page's own data after these.
 */
export function loadablePage<T, D extends object>(
  texts: Readonly<Record<Lang, T>>,
  emptyText: (t: T) => string,
  data: D,
) {
  return {
    behaviors: [loadable],
    data: { ...baseData(), t: texts.zh, emptyText: emptyText(texts.zh), ...data },
  };
}
