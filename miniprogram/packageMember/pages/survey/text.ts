import type { PageText, PageTexts } from '../../../utils/page-text';
import en from './en.json';
import zh from './zh.json';

/** The survey page's own text (zh, en): kept beside it so the main package stays small. */
export type SurveyText = PageText<typeof zh>;
export const texts: PageTexts<SurveyText> = { zh, en };
