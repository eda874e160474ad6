import type { PageText, PageTexts } from '../../../utils/page-text';
import en from './en.json';
import zh from './zh.json';

/** Text of the tags page, Chinese first; en has the same keys. */
export type TagsText = PageText<typeof zh>;
export const texts: PageTexts<TagsText> = { zh, en };
