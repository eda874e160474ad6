import type { PageText, PageTexts } from '../../../utils/page-text';
import en from './en.json';
import zh from './zh.json';

/** The member lookup page's text (Chinese first; English with the same keys). */
export type MemberText = PageText<typeof zh>;
export const texts: PageTexts<MemberText> = { zh, en };
