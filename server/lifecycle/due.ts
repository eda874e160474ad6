import type { Database } from '../runtime/cloud';
import type { LifecycleMember } from './update';
import { membersQuery } from '../members/store';

/** Reads of the nightly job: a page of at most this many members. */
export const RECOMPUTE_PAGE = 1000;
/** New members and merge survivors of this many days before the run are looked at (a missed night or two is caught up). */
const CATCH_UP_DAYS = 3;
const DAY = 86_400_000;

/** Fields the nightly review reads: the stage inputs, what it derives, and what tags read. */
export const REVIEW_FIELDS = {
  state: true,
  cardNo: true,
  oaFollowing: true,
  firstSeenAt: true,
  mergedInto: true,
  deletedAt: true,
  birthday: true,
  birthMonth: true,
  gender: true,
  tier: true,
  lifecycle: true,
  stage: true,
  stageSince: true,
  nextStageChangeAt: true,
  nextReviewAt: true,
  lifecycleRev: true,
  stageLog: true,
  rfm: true,
  ltvFen: true,
  ltvForecastFen: true,
  tags: true,
};

export type Page = { data: LifecycleMember[] };

/**
 * The members due for review at `now`, a page of ≤ 1000 at a time in (nextReviewAt, _id) order from
 * the `nextReviewAt` index: after a page ending at (key, id), the rest of that key by `_id`, then
 * keys above it. Each page is requested while the previous one is processed (one ahead, bounded).
 */
export async function* duePages(db: Database, now: Date): AsyncGenerator<LifecycleMember[]> {
  const _ = db.command;
  const members = (where: Record<string, unknown>) => membersQuery(db).where(where).field(REVIEW_FIELDS);
  const byKey = (where: Record<string, unknown>) =>
    members(where)
      .orderBy('nextReviewAt', 'asc')
      .orderBy('_id', 'asc')
      .limit(RECOMPUTE_PAGE)
      .get() as unknown as Promise<Page>;
  let next: Promise<Page> = byKey({ nextReviewAt: _.lte(now) });
  for (;;) {
    const page = (await next).data;
    const last = page[page.length - 1];
    if (page.length < RECOMPUTE_PAGE || !last) {
      if (page.length) yield page;
      return;
    }
    const key = last.nextReviewAt as Date;
    const ties = members({ nextReviewAt: key, _id: _.gt(last._id) })
      .orderBy('_id', 'asc')
      .limit(RECOMPUTE_PAGE)
      .get() as unknown as Promise<Page>;
    next = ties.then(async (t) =>
      t.data.length === RECOMPUTE_PAGE
        ? t
        : {
            data: [...t.data, ...(await byKey({ nextReviewAt: _.gt(key).and(_.lte(now)) })).data].slice(
              0,
              RECOMPUTE_PAGE,
            ),
          },
    );
    yield page;
  }
}

/** Members created lately that never had a lifecycle written (a first login), and survivors of recent merges, whose facts gained the loser's orders. */
export async function catchUpIds(db: Database, now: Date): Promise<{ fresh: string[]; merged: string[] }> {
  const _ = db.command;
  const since = new Date(now.getTime() - CATCH_UP_DAYS * DAY);
  const fresh: string[] = [];
  for (let after = ''; ;) {
    const r = (await membersQuery(db)
      .where({ createdAt: _.gte(since), _id: _.gt(after), nextReviewAt: _.exists(false) })
      .orderBy('_id', 'asc')
      .field({ _id: true })
      .limit(RECOMPUTE_PAGE)
      .get()) as { data: { _id: string }[] };
    fresh.push(...r.data.map((d) => d._id));
    if (r.data.length < RECOMPUTE_PAGE) break;
    after = r.data[r.data.length - 1]!._id;
  }
  const merged = new Set<string>();
  for (let after = ''; ;) {
    const r = (await db
      .collection('merges')
      .where({ at: _.gte(since), _id: _.gt(after) })
      .orderBy('_id', 'asc')
      .field({ survivorId: true })
      .limit(RECOMPUTE_PAGE)
      .get()) as unknown as { data: { _id: string; survivorId: string }[] };
    for (const d of r.data) merged.add(d.survivorId);
    if (r.data.length < RECOMPUTE_PAGE) break;
    after = r.data[r.data.length - 1]!._id;
  }
  return { fresh, merged: [...merged] };
}
