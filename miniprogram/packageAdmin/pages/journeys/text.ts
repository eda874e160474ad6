import type { PageText, PageTexts } from '../../../utils/page-text';
import en from './en.json';
import { EVENT_NAMES } from './event-names';
import zh from './zh.json';

/** The journeys page's text (Chinese first; English with the same keys); events are named by the catalogue's words. */
export type JourneysText = PageText<typeof zh> & { events: Record<string, string> };
export const texts: PageTexts<JourneysText> = {
  zh: { ...zh, events: EVENT_NAMES.zh },
  en: { ...en, events: EVENT_NAMES.en },
};
