import type { PageText, PageTexts } from '../../../utils/page-text';
import en from './en.json';
import zh from './zh.json';

/** Text of the dashboard page, Chinese first; en has the same keys. */
export type DashboardText = PageText<typeof zh>;
export const texts: PageTexts<DashboardText> = { zh, en };
