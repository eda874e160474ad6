import { birthdayDateIn, isLeapYear } from '../../core/segments';
import { localDate } from '../../core/time';
import type { SystemContext } from '../kit/context';
import type { DomainEvent } from '../db/events';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK types a query's get() as string | void | IQueryResult
type AnyDb = any;

/**
 * Birthdays celebrated today in the brand's time zone. Rule (core/segments/birthday): a 29 February
 * birthday is celebrated on 28 February in a non-leap year, so on 28 February of such a year both
 * `MM-DD` values match. `birthday` is stored as YYYY-MM-DD (or MM-DD).
 */
export function birthdayPatterns(today: string): string[] {
  const [y, m, d] = today.split('-') as [string, string, string];
  const out = [`${m}-${d}`];
  if (m === '02' && d === '28' && !isLeapYear(Number(y))) out.push('02-29');
  return out;
}

/**
 * Emits one `birthday` event per member whose birthday is today, with a stable id
 * (`birthday:${memberId}:${date}`), so a rerun of the daily scan enters the journey once.
 */
export async function scanBirthdays(ctx: SystemContext, tz: string, deadlineMs: number): Promise<number> {
  const db = ctx.db as AnyDb;
  const _ = db.command;
  const now = ctx.now();
  const today = localDate(now, tz);
  const regexp = `(^|-)(${birthdayPatterns(today).join('|')})$`;
  let after = '';
  let emitted = 0;
  while (Date.now() < deadlineMs) {
    const page = (await db.collection('members').where({ birthday: db.RegExp({ regexp }), _id: _.gt(after), deletedAt: _.exists(false) }).orderBy('_id', 'asc').limit(500).field({ _id: true, birthday: true }).get()).data as { _id: string; birthday: string }[];
    for (const m of page) {
      after = m._id;
      if (birthdayDateIn(Number(today.slice(0, 4)), m.birthday.slice(-5)) !== today) continue;
      const ref = db.collection('events').doc(`birthday:${m._id}:${today}`);
      if ((await ref.get()).data) continue;
      const event: DomainEvent<'birthday'> = { type: 'birthday', memberId: m._id, at: now, data: { date: today } };
      await ref.set({ data: { ...event } });
      emitted++;
    }
    if (page.length < 500) break;
  }
  return emitted;
}
