import { CronExpressionParser } from 'cron-parser';

/**
 * CloudBase timer triggers use a 7-field cron: second minute hour day month weekday year,
 * evaluated in Beijing time. cron-parser handles the first six; the year field is checked here.
 */
export const TRIGGER_TIME_ZONE = 'Asia/Shanghai';

export function validateCron(expr: string): string | null {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 7)
    return `cron "${expr}" must have 7 fields (second minute hour day month weekday year), has ${fields.length}`;
  try {
    CronExpressionParser.parse(fields.slice(0, 6).join(' '), { tz: TRIGGER_TIME_ZONE });
  } catch (e) {
    return `cron "${expr}": ${(e as Error).message}`;
  }
  return yearMatcher(fields[6] as string) ? null : `cron "${expr}": invalid year field "${fields[6]}"`;
}

function yearMatcher(field: string): ((y: number) => boolean) | null {
  if (field === '*') return () => true;
  const parts = field.split(',').map((p) => p.match(/^(\d{4})(?:-(\d{4}))?$/));
  if (parts.some((m) => !m)) return null;
  return (y) => parts.some((m) => y >= Number(m![1]) && y <= Number(m![2] ?? m![1]));
}

/** Every instant in (from, to] at which the trigger fires, oldest first; at most `max`. */
export function occurrences(expr: string, from: Date, to: Date, max: number): Date[] {
  const error = validateCron(expr);
  if (error) throw new Error(error);
  const fields = expr.trim().split(/\s+/);
  const inYear = yearMatcher(fields[6] as string)!;
  const it = CronExpressionParser.parse(fields.slice(0, 6).join(' '), {
    currentDate: from,
    endDate: to,
    tz: TRIGGER_TIME_ZONE,
  });
  const out: Date[] = [];
  while (it.hasNext()) {
    const at = it.next().toDate();
    if (!inYear(Number(new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: TRIGGER_TIME_ZONE }).format(at))))
      continue;
    out.push(at);
    if (out.length > max)
      throw new Error(
        `timer "${expr}" would fire more than ${max} times in one clock move; advance the clock in smaller steps`,
      );
  }
  return out;
}
