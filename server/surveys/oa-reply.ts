import { choicesFromText, WELCOME_SURVEY } from '../../core/surveys';
import type { SystemContext } from '../kit/context';
import { completeSurvey } from './record';
import { memberByIdentity } from '../members/resolve';

/** The survey a follower answers by replying to the Official Account (seed 002's welcome survey). */
export const OA_SURVEY = WELCOME_SURVEY;

/**
 * A follower's text reply: option numbers answer the OA survey (recorded once); any other text is
 * a message, not an answer, and is left to the brand's customer service.
 */
export async function answerByOaText(ctx: SystemContext, oaOpenid: string, content: string): Promise<boolean> {
  const choices = choicesFromText(OA_SURVEY, content);
  if (!choices) return false;
  const member = await memberByIdentity(ctx.db, 'oa_openid', oaOpenid);
  if (!member) return false;
  const done = await completeSurvey(ctx.db, member._id, OA_SURVEY, { choices, channel: 'oa' }, ctx.now());
  const alreadyCompleted = done?.alreadyCompleted ?? null;
  ctx.log.info('oa survey answer', { surveyId: OA_SURVEY.id, memberId: member._id, alreadyCompleted });
  return done !== null && !done.alreadyCompleted;
}
