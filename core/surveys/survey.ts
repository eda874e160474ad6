import { DomainError, ErrorCodes } from '../errors';

type Text = { zh: string; en: string };

export interface SurveyOption {
  /** What a follower replies to the Official Account to choose it ("1", "2", …). */
  key: string;
  text: Text;
  /** The tag an answer puts on the member (seed 004: answers enrich the portrait). */
  tag: string;
}

/** A one-question survey, answerable by an OA text reply (option numbers) and on a Mini Program page. */
export interface Survey {
  id: string;
  question: Text;
  options: readonly SurveyOption[];
  multiple: boolean;
}

/** Seed 002's survey of new followers: what they like, asked on follow and again at 24 h. */
export const WELCOME_SURVEY: Survey = {
  id: 'welcome',
  question: { zh: '您对哪些感兴趣？', en: 'What are you interested in?' },
  multiple: true,
  options: [
    { key: '1', text: { zh: '旗袍定制', en: 'Made-to-measure qipao' }, tag: 'survey_custom_qipao' },
    { key: '2', text: { zh: '日常成衣', en: 'Ready-to-wear' }, tag: 'survey_ready_to_wear' },
    { key: '3', text: { zh: '配饰', en: 'Accessories' }, tag: 'survey_accessories' },
    { key: '4', text: { zh: '门店活动', en: 'Store events' }, tag: 'survey_store_events' },
  ],
};

export const SURVEYS: readonly Survey[] = [WELCOME_SURVEY];
export const surveyById = (id: string): Survey | undefined => SURVEYS.find((s) => s.id === id);

/** The question as an OA text: the question, then "1 旗袍定制 …", then how to reply. */
export function surveyPrompt(survey: Survey, language: 'zh' | 'en'): string {
  const options = survey.options.map((o) => `${o.key} ${o.text[language]}`).join('  ');
  const how = {
    zh: survey.multiple ? '回复数字作答，可多选（如 13）' : '回复一个数字作答',
    en: survey.multiple ? 'Reply with the numbers (e.g. 13)' : 'Reply with one number',
  }[language];
  return `${survey.question[language]}\n${options}\n${how}`;
}

/**
 * The options an OA text reply chooses: only digits (and spaces, commas) that are all option keys;
 * anything else (a question, a greeting) is not an answer → null. One choice unless multiple.
 */
export function choicesFromText(survey: Survey, text: string): string[] | null {
  const compact = text.replace(/[\s,，、]+/g, '');
  if (!/^\d{1,10}$/.test(compact)) return null;
  const keys = [...new Set(compact.split(''))];
  if (!keys.every((k) => survey.options.some((o) => o.key === k))) return null;
  if (!survey.multiple && keys.length !== 1) return null;
  return keys.sort();
}

/** The tags of chosen options; an unknown option or a second choice to a single-choice survey is refused. */
export function tagsOfChoices(survey: Survey, choices: readonly string[]): string[] {
  const tags = choices.map((k) => survey.options.find((o) => o.key === k)?.tag);
  if (choices.length === 0 || tags.some((t) => t === undefined) || new Set(choices).size !== choices.length) {
    throw new DomainError(ErrorCodes.SURVEY_ANSWER_INVALID, '请选择问卷中的选项', { surveyId: survey.id });
  }
  if (!survey.multiple && choices.length > 1) {
    throw new DomainError(ErrorCodes.SURVEY_ANSWER_INVALID, '此题只能选一项', { surveyId: survey.id });
  }
  return tags as string[];
}
