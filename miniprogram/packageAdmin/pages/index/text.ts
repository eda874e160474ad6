import type { PageText, PageTexts } from '../../../utils/page-text';
import en from './en.json';
import zh from './zh.json';

/** The staff hub's text (Chinese first; English with the same keys). */
export type HubText = PageText<typeof zh>;
export const texts: PageTexts<HubText> = { zh, en };
