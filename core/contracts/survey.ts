import { z } from 'zod';
import { defineAction } from './common';

/** Surveys on a Mini Program page (`messaging` function): the question, and the member's answer. */

const surveyId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'survey id: a-z 0-9 -');
const optionKey = z.string().regex(/^\d$/, 'an option number');
const text = z.object({ zh: z.string(), en: z.string() });

const surveyView = z.object({
  surveyId: z.string(),
  question: text,
  multiple: z.boolean(),
  options: z.array(z.object({ key: z.string(), text })),
  /** The options the member chose, once completed (in either channel). */
  completed: z
    .object({ choices: z.array(z.string()), channel: z.enum(['oa', 'mp']), at: z.iso.datetime({ offset: true }) })
    .nullable(),
});

export const survey = defineAction(z.object({ surveyId }).strict(), surveyView);

/** A completion is recorded once; answering again returns the first answer with `alreadyCompleted`. */
export const answerSurvey = defineAction(
  z.object({ surveyId, choices: z.array(optionKey).min(1).max(10) }).strict(),
  z.object({ surveyId: z.string(), choices: z.array(z.string()), alreadyCompleted: z.boolean() }),
);

export const surveyContracts = { survey, answerSurvey } as const;
