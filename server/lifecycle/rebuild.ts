import type { Database } from '../runtime/cloud';
import type { Logger } from '../kit/logger';
import { recomputeAll } from './recompute';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK types a query's get() as string | void | IQueryResult
type AnyDb = any;

const REBUILD_ID = 'lifecycle';

interface RebuildDoc {
  /** the instant every slice computes at: the start of the rebuild */
  at: Date;
  /** the last member id done */
  after: string;
  members: number;
  written: number;
  stageChanges: number;
  doneAt: Date | null;
}

export interface RebuildProgress {
  at: Date;
  members: number;
  written: number;
  stageChanges: number;
  done: boolean;
}

/**
 * The lifecycle/RFM rebuild from orders (the repair mode), resumable: each call goes on after the
 * last member a previous call finished (kept in `lifecycle_rebuilds` after every page of 1000) and
 * stops before a page that would start after `sliceMs`, so each call fits in a function's time. All
 * slices compute as of the instant the rebuild started. A finished rebuild (or `restart`) begins anew.
 * A page done twice (a call killed between its writes and its progress) changes nothing the second time.
 */
export async function rebuildLifecycle(
  db: Database,
  now: Date,
  opts: { sliceMs: number; restart?: boolean; log?: Logger },
): Promise<RebuildProgress> {
  const ref = (db as AnyDb).collection('lifecycle_rebuilds').doc(REBUILD_ID);
  const stored = (await ref.get()).data as RebuildDoc | null;
  const fresh = !stored || stored.doneAt || opts.restart;
  const job: RebuildDoc = fresh
    ? { at: now, after: '', members: 0, written: 0, stageChanges: 0, doneAt: null }
    : {
        at: new Date(stored.at),
        after: stored.after,
        members: stored.members,
        written: stored.written,
        stageChanges: stored.stageChanges,
        doneAt: null,
      };
  if (fresh) await ref.set({ data: job });
  const base = { members: job.members, written: job.written, stageChanges: job.stageChanges };
  const save = (after: string, r: { members: number; written: number; stageChanges: number }, doneAt: Date | null) => {
    const doc: RebuildDoc = {
      ...job,
      after,
      doneAt,
      members: base.members + r.members,
      written: base.written + r.written,
      stageChanges: base.stageChanges + r.stageChanges,
    };
    return (ref.set({ data: doc }) as Promise<unknown>).then(() => doc);
  };
  const report = await recomputeAll(db, job.at, opts.log, undefined, {
    mode: 'rebuild',
    after: job.after,
    until: Date.now() + opts.sliceMs,
    pageDone: async (after, r) => void (await save(after, r, null)),
  });
  const done = report.next === null;
  const last = await save(report.next ?? job.after, report, done ? new Date() : null);
  return { at: job.at, members: last.members, written: last.written, stageChanges: last.stageChanges, done };
}
