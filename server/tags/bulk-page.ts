import type { HeldTag } from '../../core/portrait';
import { auditAll, type AuditActor } from '../audit';
import { membersQuery } from '../members/store';
import type { Database } from '../runtime/cloud';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK types a query's get() as string | void | IQueryResult
type AnyDb = any;

/** What a page needs of its job. */
export interface PageJob {
  _id: string;
  tagId: string;
  op: 'add' | 'remove';
  createdBy: AuditActor;
}

/** A member as a page reads it: its tags, with the job that put each on. */
type Tagged = { _id: string; tags?: readonly { tagId: string; jobId?: string }[] | null };

/** The audit row of one member's change by one job: its id says which, so a rerun of the page finds it. */
const auditId = (jobId: string, memberId: string) => `au_tb_${jobId}_${memberId}`;

const tagIds = (m: Tagged) => (m.tags ?? []).map((t) => t.tagId);
const holds = (m: Tagged, tagId: string) => tagIds(m).includes(tagId);
const taggedBy = (m: Tagged, job: PageJob) => (m.tags ?? []).some((t) => t.tagId === job.tagId && t.jobId === job._id);

/** The members of `ids` this job has already recorded a change of. */
async function recordedOf(db: Database, job: PageJob, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = (await (db as AnyDb)
    .collection('audit_log')
    .where({ _id: db.command.in(ids.map((id) => auditId(job._id, id))) })
    .field({ target: true })
    .limit(ids.length)
    .get()) as { data: { target: string }[] };
  return new Set(rows.data.map((r) => r.target));
}

type Change = { id: string; before: string[]; after: string[] };

async function record(db: Database, job: PageJob, changes: Change[], now: Date): Promise<void> {
  if (changes.length === 0) return;
  await auditAll(
    db,
    changes.map(({ id, before, after }) => ({
      _id: auditId(job._id, id),
      ...job.createdBy,
      at: now,
      action: 'tags.bulk',
      target: id,
      reason: `job ${job._id}`,
      before: { tags: before },
      after: { tags: after },
    })),
  );
}

/**
 * Puts the tag on the page's members that lack it, in one update whose condition skips anyone who
 * got it meanwhile; then records those the job tagged (its id is on their holding) and that have no
 * row yet, which also covers a run killed between the update and the rows. Answers the members the
 * job has tagged, now or earlier.
 */
async function addToPage(db: Database, job: PageJob, page: Tagged[], holding: HeldTag, now: Date) {
  const _ = db.command;
  const recorded = await recordedOf(
    db,
    job,
    page.map((m) => m._id),
  );
  const lacking = page.filter((m) => !holds(m, job.tagId) && !recorded.has(m._id));
  let tagged = lacking;
  if (lacking.length) {
    const ids = lacking.map((m) => m._id);
    const live = { deletedAt: _.exists(false), mergedInto: _.exists(false) };
    const r = await membersQuery(db)
      .where({ _id: _.in(ids), 'tags.tagId': _.neq(job.tagId), ...live })
      .update({ data: { tags: _.push([holding]) } });
    if (!r || r.stats.updated !== ids.length) {
      // someone else changed some of them in between: read which now hold the job's holding
      const read = (await (membersQuery(db) as AnyDb)
        .where({ _id: _.in(ids) })
        .field({ tags: true })
        .limit(ids.length)
        .get()) as { data: Tagged[] };
      const mine = new Set(read.data.filter((m) => taggedBy(m, job)).map((m) => m._id));
      tagged = lacking.filter((m) => mine.has(m._id));
    }
  }
  const earlier = page.filter((m) => taggedBy(m, job) && !recorded.has(m._id));
  const changes = [
    ...tagged.map((m) => ({ id: m._id, before: tagIds(m), after: [...tagIds(m), job.tagId] })),
    ...earlier.map((m) => ({ id: m._id, before: tagIds(m).filter((t) => t !== job.tagId), after: tagIds(m) })),
  ];
  await record(db, job, changes, now);
  return recorded.size + tagged.length + earlier.length;
}

/**
 * Takes the tag off the page's members holding it. Once it is off nothing on the member says who
 * took it, so the rows come first (those not yet written) and one update follows; a rerun finds the
 * rows and finishes the update.
 */
async function removeFromPage(db: Database, job: PageJob, page: Tagged[], now: Date) {
  const _ = db.command;
  const holding = page.filter((m) => holds(m, job.tagId));
  const recorded = await recordedOf(
    db,
    job,
    page.map((m) => m._id),
  );
  const fresh = holding.filter((m) => !recorded.has(m._id));
  const without = (m: Tagged) => tagIds(m).filter((t) => t !== job.tagId);
  await record(
    db,
    job,
    fresh.map((m) => ({ id: m._id, before: tagIds(m), after: without(m) })),
    now,
  );
  if (holding.length) {
    await membersQuery(db)
      .where({ _id: _.in(holding.map((m) => m._id)), 'tags.tagId': job.tagId })
      .update({ data: { tags: _.pull({ tagId: job.tagId }) } });
  }
  return recorded.size + fresh.length;
}

/**
 * Brings one page of a segment's members (≤ 1000, read with their tags) to what the job wants, each
 * change recorded by one audit row; answers how many members of the page the job has changed, in
 * this run or an earlier one of the same page that was killed part-way.
 */
export async function tagPage(db: Database, job: PageJob, page: Tagged[], holding: HeldTag, now: Date) {
  return job.op === 'add' ? addToPage(db, job, page, holding, now) : removeFromPage(db, job, page, now);
}
