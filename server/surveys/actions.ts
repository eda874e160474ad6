import type { z } from 'zod';
import type { surveyContracts } from '../../core/contracts/survey';
import { DomainError, ErrorCodes } from '../../core/errors';
import { surveyById, type Survey } from '../../core/surveys';
import type { ActionContext } from '../kit/context';
import { readDoc } from '../db/documents';
import { completeSurvey, responseId, type SurveyResponseDoc } from './record';
import { requireMember } from '../members/resolve';

type C = typeof surveyContracts;
type Out<K extends keyof C> = Promise<z.input<C[K]['output']>>;

function surveyOf(id: string): Survey {
  const s = surveyById(id);
  if (!s) throw new DomainError(ErrorCodes.SURVEY_NOT_FOUND, '问卷不存在', { surveyId: id });
  return s;
}

const completedOf = (r: SurveyResponseDoc | null) =>
  r ? { choices: r.choices, channel: r.channel, at: new Date(r.completedAt).toISOString() } : null;

/** The survey's question and options, and the caller's answer when they completed it (here or on the OA). */
export async function surveyAction(input: z.output<C['survey']['input']>, ctx: ActionContext): Out<'survey'> {
  const s = surveyOf(input.surveyId);
  const m = await requireMember(ctx.db, ctx.openid);
  const r = await readDoc<SurveyResponseDoc>(ctx.db, 'survey_responses', responseId(s.id, m._id));
  const options = s.options.map(({ key, text }) => ({ key, text }));
  return { surveyId: s.id, question: s.question, multiple: s.multiple, options, completed: completedOf(r) };
}

/** The caller answers on the Mini Program page: recorded as the survey's completion, once. */
export async function answerSurveyAction(
  input: z.output<C['answerSurvey']['input']>,
  ctx: ActionContext,
): Out<'answerSurvey'> {
  const s = surveyOf(input.surveyId);
  const m = await requireMember(ctx.db, ctx.openid);
  const done = await completeSurvey(ctx.db, m._id, s, { choices: input.choices, channel: 'mp' }, ctx.now());
  if (!done) throw new DomainError(ErrorCodes.SURVEY_NOT_FOUND, '会员不存在', { surveyId: s.id });
  return { surveyId: s.id, choices: done.response.choices, alreadyCompleted: done.alreadyCompleted };
}
