import { birthdayDateIn, isLeapYear } from '../../core/segments';
import { localDate } from '../../core/time';
import type { SystemContext } from '../kit/context';
import type { DomainEvent } from '../db/events';
import { membersQuery } from '../members/store';
import type { AnyDb } from '../runtime/cloud';

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

const CURSOR_ID = 'birthdays';
const PAGE = 500;

interface BirthdayCursor {
  date: string;
  after: string;
  done: boolean;
}

/**
 * Emits one `birthday` event per member whose birthday is today, with a stable id
 * (`birthday:${memberId}:${date}`), so a rerun of the scan enters the journey once. A page of
 * members at a time (one read of the page, one of the events already written, one insert) until
 * `deadlineMs`: the timer runs every 10 minutes and the day's scan goes on from where the last run
 * stopped (`event_cursor/birthdays`) until every member was looked at; the day's later runs are idle.
 */
export async function scanBirthdays(
  ctx: SystemContext,
  tz: string,
  deadlineMs: number,
): Promise<{ emitted: number; done: boolean }> {
  const db = ctx.db as AnyDb;
  const _ = db.command;
  const now = ctx.now();
  const today = localDate(now, tz);
  const cursorRef = db.collection('event_cursor').doc(CURSOR_ID);
  const stored = (await cursorRef.get()).data as BirthdayCursor | null;
  if (stored?.date === today && stored.done) return { emitted: 0, done: true };
  const regexp = `(^|-)(${birthdayPatterns(today).join('|')})$`;
  let after = stored?.date === today ? stored.after : '';
  let done = false;
  let emitted = 0;
  // a page at least per run, so that every run makes progress
  for (let first = true; !done && (first || Date.now() < deadlineMs); first = false) {
    const where = { birthday: db.RegExp({ regexp }), _id: _.gt(after), deletedAt: _.exists(false) };
    type Row = { _id: string; birthday: string };
    const page = (
      (await membersQuery(db)
        .where(where)
        .orderBy('_id', 'asc')
        .limit(PAGE)
        .field({ _id: true, birthday: true })
        .get()) as unknown as { data: Row[] }
    ).data;
    const due = page.filter((m) => birthdayDateIn(Number(today.slice(0, 4)), m.birthday.slice(-5)) === today);
    const idOf = (m: { _id: string }) => `birthday:${m._id}:${today}`;
    const written = due.length
      ? ((
          await db
            .collection('events')
            .where({ _id: _.in(due.map(idOf)) })
            .field({ _id: true })
            .limit(PAGE)
            .get()
        ).data as { _id: string }[])
      : [];
    const known = new Set(written.map((e) => e._id));
    const events = due
      .filter((m) => !known.has(idOf(m)))
      .map((m) => {
        const event: DomainEvent<'birthday'> = { type: 'birthday', memberId: m._id, at: now, data: { date: today } };
        return { _id: idOf(m), ...event };
      });
    if (events.length) await db.collection('events').add({ data: events });
    emitted += events.length;
    done = page.length < PAGE;
    if (page.length) after = page[page.length - 1]!._id;
    await cursorRef.set({ data: { date: today, after, done } satisfies BirthdayCursor });
  }
  return { emitted, done };
}
