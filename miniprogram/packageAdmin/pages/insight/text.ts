import { STAGE_LABELS } from '../segments/text';
import type { PageText, PageTexts } from '../../../utils/page-text';
import en from './en.json';
import zh from './zh.json';

/** Text of the insight reports page, Chinese first; en has the same keys. */
export type InsightText = PageText<typeof zh>;
export const texts: PageTexts<InsightText> = { zh, en };

const stages = STAGE_LABELS as Record<string, { zh: string; en: string } | undefined>;

/** A stage id in the language, else the id itself. */
export const stageWord = (lang: 'zh' | 'en', id: string): string => stages[id]?.[lang] ?? id;

/** A column or stage id in the language: a known column, a stage, else the id itself (skip reasons, months). */
export const wordFor = (t: InsightText, lang: 'zh' | 'en', id: string): string => t.columns[id] ?? stageWord(lang, id);
