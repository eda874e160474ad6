import type { PageText, PageTexts } from '../../../utils/page-text';
import { EVENT_NAMES } from '../journeys/event-names';
import en from './en.json';
import zh from './zh.json';

/** The journey editor's text (Chinese first; English with the same keys); events are named by the catalogue's words. */
export type JourneyEditText = PageText<typeof zh> & { events: Record<string, string> };
export const texts: PageTexts<JourneyEditText> = {
  zh: { ...zh, events: EVENT_NAMES.zh },
  en: { ...en, events: EVENT_NAMES.en },
};
