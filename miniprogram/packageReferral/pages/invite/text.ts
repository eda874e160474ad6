import type { PageText, PageTexts } from '../../../utils/page-text';
import en from './en.json';
import zh from './zh.json';

/** The invite page's words (referrer side). Chinese first; English has the same keys. */
export type InviteText = PageText<typeof zh>;
export const texts: PageTexts<InviteText> = { zh, en };
