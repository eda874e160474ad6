import type { z } from 'zod';
import { DomainError } from '../errors';
import { journeySchema, type Journey } from './schema';

export const JOURNEY_INVALID = 'JOURNEY_INVALID';

/** One line per problem; a problem inside a step names it: `steps[3] (wait): duration: duration like 30m`. */
export function describeIssues(input: unknown, error: z.ZodError): string[] {
  const steps = (input as { steps?: unknown } | null)?.steps;
  return error.issues.map((issue) => {
    const [head, index, ...rest] = issue.path;
    const where = rest.length ? `${rest.join('.')}: ` : '';
    if (head === 'steps' && typeof index === 'number') {
      const type = Array.isArray(steps) ? (steps[index] as { type?: unknown } | undefined)?.type : undefined;
      return `steps[${index}] (${typeof type === 'string' ? type : '?'}): ${where}${issue.message}`;
    }
    return `${issue.path.length ? issue.path.join('.') : 'journey'}: ${issue.message}`;
  });
}

/** The journey, or JOURNEY_INVALID with every problem named (`details.problems`). */
export function parseJourney(input: unknown): Journey {
  const r = journeySchema.safeParse(input);
  if (r.success) return r.data;
  const problems = describeIssues(input, r.error);
  throw new DomainError(JOURNEY_INVALID, `旅程无效 / invalid journey: ${problems.slice(0, 3).join('; ')}`, {
    problems,
  });
}
