import type { z } from 'zod';
import type { bulkTag, TagJobView, tagJob } from '../../core/contracts/tags';
import { DomainError, ErrorCodes } from '../../core/errors';
import { isRetired, manualHolding } from '../../core/portrait';
import { audit } from '../audit';
import { readDoc } from '../db/documents';
import { ACTION_BUDGET_MS, TIMER_BUDGET_MS } from '../kit/budgets';
import { inTransaction } from '../db/transaction';
import type { ActionContext, SystemContext } from '../kit/context';
import { brandMessaging } from '../messaging/brand';
import { tagTaxonomy } from '../portrait/settings';
import { segmentPage } from '../segments/members';
import { loadSegment } from '../segments/segments';
import { requireStaff, staffActor } from '../staff/require';
import { tagPage } from './bulk-page';

/** One bulk tagging job (`tag_jobs`, `_id` = the job id the admin chose): where it is and what it changed. */
export interface TagJobDoc {
  _id: string;
  segmentId: string;
  tagId: string;
  op: 'add' | 'remove';
  state: 'running' | 'done';
  /** The last member id read: the next page starts after it. */
  cursor: string | null;
  changed: number;
  createdBy: { who: string; role: string };
  createdAt: Date;
  finishedAt: Date | null;
}

/** Members per page: the most one read returns. */
const PAGE = 1000;

const iso = (d: Date | string) => new Date(d).toISOString();
export const jobView = (j: TagJobDoc): TagJobView => ({
  jobId: j._id,
  segmentId: j.segmentId,
  tagId: j.tagId,
  op: j.op,
  state: j.state,
  changed: j.changed,
  createdAt: iso(j.createdAt),
  finishedAt: j.finishedAt ? iso(j.finishedAt) : null,
});

/**
 * Works through a job page by page in member-id order until it is done or `deadlineMs` passes. Each
 * page is one read, one update of its members and one insert of its audit rows (`tagPage`), then
 * the cursor and the count move on together, only from where this run found them: a run that lost
 * the race to another (the action and a timer run) stops. Killed mid-page, the next run does the
 * page again and changes, records and counts each member once.
 */
export async function runTagJob(ctx: SystemContext, job: TagJobDoc, deadlineMs: number): Promise<TagJobDoc> {
  const db = ctx.db;
  const seg = await loadSegment(db, job.segmentId);
  const { timeZone } = await brandMessaging(db);
  const def = (await tagTaxonomy(db, ctx.now().getTime())).find((d) => d.id === job.tagId);
  let cursor = job.cursor;
  while (Date.now() < deadlineMs) {
    const now = ctx.now();
    const page = seg ? await segmentPage(db, seg.rule, now, timeZone, cursor, PAGE) : { members: [], next: null };
    const holding = { ...manualHolding(def, job.tagId, now), jobId: job._id };
    const changed = await tagPage(db, job, page.members, holding, now);
    const done = page.next === null;
    const moved = done ? { state: 'done', finishedAt: now } : { cursor: page.next };
    const r = await db
      .collection('tag_jobs')
      .where({ _id: job._id, state: 'running', cursor })
      .update({ data: { ...moved, changed: db.command.inc(changed) } });
    if (done || !r || r.stats.updated === 0) break;
    cursor = page.next;
  }
  return (await readDoc<TagJobDoc>(db, 'tag_jobs', job._id)) ?? job;
}

/** admin tags.bulk: start (or, with the same id, resume) tagging a saved segment; audited when it starts. */
export async function bulkTagAction(input: z.output<typeof bulkTag.input>, ctx: ActionContext): Promise<TagJobView> {
  const started = Date.now();
  const staff = await requireStaff(ctx, 'tags.manage');
  const now = ctx.now();
  const def = (await tagTaxonomy(ctx.db, now.getTime(), { fresh: true })).find((d) => d.id === input.tagId);
  if (!def) throw new DomainError(ErrorCodes.TAG_NOT_FOUND, '标签不存在 / no such tag', { tagId: input.tagId });
  if (input.op === 'add' && isRetired(def, now)) {
    throw new DomainError(ErrorCodes.TAG_RETIRED, '该标签已归档或过期 / the tag is archived or expired', {
      tagId: input.tagId,
    });
  }
  if (!(await loadSegment(ctx.db, input.segmentId))) {
    throw new DomainError(ErrorCodes.SEGMENT_NOT_FOUND, `分群不存在 / no segment ${input.segmentId}`, {
      segmentId: input.segmentId,
    });
  }
  const job = await inTransaction(ctx.db, async (tx) => {
    const ref = tx.collection('tag_jobs').doc(input.jobId);
    const existing = (await ref.get()).data as TagJobDoc | null;
    if (existing) {
      if (existing.segmentId !== input.segmentId || existing.tagId !== input.tagId || existing.op !== input.op) {
        throw new DomainError(ErrorCodes.TAG_JOB_CONFLICT, '该任务编号已被其他任务使用 / job id in use', {
          jobId: input.jobId,
        });
      }
      return { ...existing, _id: input.jobId };
    }
    const doc: TagJobDoc = {
      _id: input.jobId,
      segmentId: input.segmentId,
      tagId: input.tagId,
      op: input.op,
      state: 'running',
      cursor: null,
      changed: 0,
      createdBy: staffActor(staff),
      createdAt: now,
      finishedAt: null,
    };
    const { _id, ...data } = doc;
    await ref.set({ data });
    await audit(tx, {
      ...staffActor(staff),
      at: now,
      action: 'tags.bulkStart',
      target: `tag_jobs/${_id}`,
      before: null,
      after: { segmentId: doc.segmentId, tagId: doc.tagId, op: doc.op },
    });
    return doc;
  });
  if (job.state === 'done') return jobView(job);
  return jobView(await runTagJob(ctx, job, started + ACTION_BUDGET_MS));
}

/** admin tags.job: how far a job has got. */
export async function tagJobAction(input: z.output<typeof tagJob.input>, ctx: ActionContext): Promise<TagJobView> {
  await requireStaff(ctx, 'tags.manage');
  const job = await readDoc<TagJobDoc>(ctx.db, 'tag_jobs', input.jobId);
  if (!job) throw new DomainError(ErrorCodes.TAG_NOT_FOUND, '任务不存在 / no such job', { jobId: input.jobId });
  return jobView({ ...job, _id: input.jobId });
}

/** Timer: carries on the jobs still running (started by an action that ran out of time or was killed). */
export async function tagJobsTimer(ctx: SystemContext): Promise<{ jobs: number }> {
  const deadline = Date.now() + TIMER_BUDGET_MS;
  const r = (await ctx.db.collection('tag_jobs').where({ state: 'running' }).limit(10).get()) as unknown as {
    data: TagJobDoc[];
  };
  for (const job of r.data) {
    if (Date.now() >= deadline) break;
    await runTagJob(ctx, job, deadline);
  }
  return { jobs: r.data.length };
}
