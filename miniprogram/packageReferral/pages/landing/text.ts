import type { PageText, PageTexts } from '../../../utils/page-text';
import en from './en.json';
import zh from './zh.json';

/** The landing page's words (what a friend sees when opening a share). Chinese first; English has the same keys. */
export type LandingText = PageText<typeof zh>;
export const texts: PageTexts<LandingText> = { zh, en };
