import type { PageText, PageTexts } from '../../../utils/page-text';
import en from './en.json';
import zh from './zh.json';

/** Text of the schedule page, Chinese first; en has the same keys. */
export type ScheduleText = PageText<typeof zh>;
export const texts: PageTexts<ScheduleText> = { zh, en };
