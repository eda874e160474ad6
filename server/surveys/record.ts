import type { Survey } from '../../core/surveys';
import type { HeldTag } from '../../core/portrait/tags';
import { tagsOfChoices } from '../../core/surveys';
import type { Database } from '../runtime/cloud';
import { inTransaction } from '../db/transaction';
import { emit } from '../db/events';
import { resolveMemberTx } from '../members/resolve';
import { updateMemberTx } from '../members/store';

/** `survey_responses/<surveyId>:<memberId>`: one completion per member and survey, whichever channel came first. */
export interface SurveyResponseDoc {
  surveyId: string;
  memberId: string;
  channel: 'oa' | 'mp';
  choices: string[];
  tags: string[];
  completedAt: Date | string;
}

export const responseId = (surveyId: string, memberId: string): string => `${surveyId}:${memberId}`;

/** Held tags with the answer tags put on (or refreshed): kept until staff take them off. */
function withAnswerTags(held: readonly HeldTag[], tags: readonly string[], now: Date): HeldTag[] {
  const kept = held.filter((h) => !tags.includes(h.tagId));
  return [...kept, ...tags.map((tagId): HeldTag => ({ tagId, source: 'interaction', at: now }))];
}

/**
 * Records a member's answer as the survey's completion: the response, the answer tags on the
 * member and `survey.completed` (which ends the follower-survey journey's retry and puts on the
 * interaction tag) in one transaction. A second answer changes nothing and returns the first.
 */
export async function completeSurvey(
  db: Database,
  memberId: string,
  survey: Survey,
  answer: { choices: string[]; channel: 'oa' | 'mp' },
  now: Date,
): Promise<{ response: SurveyResponseDoc; alreadyCompleted: boolean } | null> {
  const tags = tagsOfChoices(survey, answer.choices);
  return inTransaction(db, async (tx) => {
    const m = await resolveMemberTx(tx, memberId);
    if (!m) return null;
    const ref = tx.collection('survey_responses').doc(responseId(survey.id, m._id));
    const existing = (await ref.get()).data as SurveyResponseDoc | null;
    if (existing) return { response: existing, alreadyCompleted: true };
    const choices = [...answer.choices].sort();
    const { channel } = answer;
    const response: SurveyResponseDoc = {
      surveyId: survey.id,
      memberId: m._id,
      channel,
      choices,
      tags,
      completedAt: now,
    };
    await ref.set({ data: { ...response } });
    await updateMemberTx(tx, m._id, { tags: withAnswerTags(m.tags ?? [], tags, now) });
    const data = { surveyId: survey.id, channel: answer.channel, choices: response.choices, tags };
    await emit(tx, { type: 'survey.completed', memberId: m._id, at: now, data });
    return { response, alreadyCompleted: false };
  });
}
