import type { PageText, PageTexts } from '../../../utils/page-text';
import en from './en.json';
import zh from './zh.json';

/** The scan page's text (Chinese first; English with the same keys). */
export type ScanText = PageText<typeof zh>;
export const texts: PageTexts<ScanText> = { zh, en };
