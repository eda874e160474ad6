import type { PageText, PageTexts } from '../../utils/page-text';
import en from './en.json';
import zh from './zh.json';

/** The condition editor's words (Chinese first; English with the same keys); pages pass the reader's. */
export type ConditionText = PageText<typeof zh>;
export const conditionTexts: PageTexts<ConditionText> = { zh, en };
