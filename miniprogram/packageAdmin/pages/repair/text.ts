import type { PageText, PageTexts } from '../../../utils/page-text';
import en from './en.json';
import zh from './zh.json';

/** Text of the member data repair page, Chinese first; en has the same keys. */
export type RepairText = PageText<typeof zh>;
export const texts: PageTexts<RepairText> = { zh, en };
