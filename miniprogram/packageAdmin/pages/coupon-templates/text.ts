import type { PageText, PageTexts } from '../../../utils/page-text';
import en from './en.json';
import zh from './zh.json';

/** The coupon templates page's text (Chinese first; English with the same keys). */
export type TemplatesText = PageText<typeof zh>;
export const texts: PageTexts<TemplatesText> = { zh, en };
/** The stock steps offered for + and −. */
export const STOCK_STEPS = [1, 10, 100] as const;
