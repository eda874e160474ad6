import type { Database } from '../runtime/cloud';
import type { Logger } from '../kit/logger';
import { membersQuery } from '../members/store';
import { splitIds } from './id-ranges';
import { recomputeAll } from './recompute';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK types a query's get() as string | void | IQueryResult
type AnyDb = any;

const REBUILD_ID = 'lifecycle';
/** `_id` ranges a rebuild is cut into: several instances each work on one at a time. */
export const REBUILD_RANGES = 16;

interface RebuildDoc {
  /** the instant every slice computes at: the start of the rebuild */
  at: Date;
  /** how many range documents (`lifecycle.<k>`) this rebuild has */
  ranges: number;
  doneAt: Date | null;
}

/** One `_id` range (after `from`, up to `to` inclusive; null: no end) and how far it has come. */
interface RangeDoc {
  from: string;
  to: string | null;
  /** the last member id done */
  after: string;
  members: number;
  written: number;
  stageChanges: number;
  done: boolean;
  /** epoch ms until which the instance that took it may work on it; 0: free */
  leaseUntil: number;
}

export interface RebuildProgress {
  at: Date;
  members: number;
  written: number;
  stageChanges: number;
  done: boolean;
}

const rangeId = (k: number) => `${REBUILD_ID}.${String(k).padStart(3, '0')}`;

async function firstAndLast(db: Database): Promise<[string, string] | null> {
  const end = async (dir: 'asc' | 'desc') =>
    (
      (await membersQuery(db).orderBy('_id', dir).field({ _id: true }).limit(1).get()) as unknown as {
        data: { _id: string }[];
      }
    ).data[0]?._id;
  const [first, last] = await Promise.all([end('asc'), end('desc')]);
  return first !== undefined && last !== undefined ? [first, last] : null;
}

/** A new rebuild: its ranges written free and from the start, then the rebuild itself. */
async function start(db: Database, now: Date, ranges: number): Promise<RebuildDoc> {
  const coll = (db as AnyDb).collection('lifecycle_rebuilds');
  const ends = await firstAndLast(db);
  const cuts = ends ? splitIds(ends[0], ends[1], ranges) : [];
  const bounds = ['', ...cuts];
  await Promise.all(
    bounds.map((from, k) => {
      const range: RangeDoc = {
        from,
        to: bounds[k + 1] ?? null,
        after: from,
        members: 0,
        written: 0,
        stageChanges: 0,
        done: false,
        leaseUntil: 0,
      };
      return coll.doc(rangeId(k)).set({ data: range });
    }),
  );
  const job: RebuildDoc = { at: now, ranges: bounds.length, doneAt: null };
  await coll.doc(REBUILD_ID).set({ data: job });
  return job;
}

async function rangesOf(db: Database, job: RebuildDoc): Promise<(RangeDoc & { _id: string })[]> {
  const ids = Array.from({ length: job.ranges }, (_v, k) => rangeId(k));
  const r = (await (db as AnyDb)
    .collection('lifecycle_rebuilds')
    .where({ _id: db.command.in(ids) })
    .limit(1000)
    .get()) as { data: (RangeDoc & { _id: string })[] };
  return r.data.sort((a, b) => (a._id < b._id ? -1 : 1));
}

/** Takes a free range (no lease, or one that ran out: its instance died); null when none is free. */
async function claim(db: Database, job: RebuildDoc, leaseMs: number): Promise<(RangeDoc & { _id: string }) | null> {
  const _ = db.command;
  const coll = (db as AnyDb).collection('lifecycle_rebuilds');
  for (const range of await rangesOf(db, job)) {
    if (range.done || range.leaseUntil > Date.now()) continue;
    const leaseUntil = Date.now() + leaseMs;
    const r = (await coll
      .where({ _id: range._id, done: false, leaseUntil: range.leaseUntil })
      .update({ data: { leaseUntil } })) as { stats?: { updated?: number } };
    // another instance took it in between: try the next one
    if (r.stats?.updated === 1) return { ...range, leaseUntil };
  }
  return null;
}

/** Works on one taken range until it is done or the slice's time is up; its progress kept after every page. */
async function runRange(
  db: Database,
  job: RebuildDoc,
  range: RangeDoc & { _id: string },
  until: number,
  leaseMs: number,
  log?: Logger,
): Promise<void> {
  const ref = (db as AnyDb).collection('lifecycle_rebuilds').doc(range._id);
  const base = { members: range.members, written: range.written, stageChanges: range.stageChanges };
  const totals = (r: { members: number; written: number; stageChanges: number }) => ({
    members: base.members + r.members,
    written: base.written + r.written,
    stageChanges: base.stageChanges + r.stageChanges,
  });
  const report = await recomputeAll(db, job.at, log, undefined, {
    mode: 'rebuild',
    after: range.after,
    ...(range.to !== null ? { upTo: range.to } : {}),
    until,
    pageDone: async (after, r) =>
      void (await ref.update({ data: { after, ...totals(r), leaseUntil: Date.now() + leaseMs } })),
  });
  const done = report.next === null;
  await ref.update({
    data: { ...(done ? {} : { after: report.next }), ...totals(report), done, leaseUntil: 0 },
  });
}

/**
 * The lifecycle/RFM rebuild from orders (the repair mode), resumable and shared: the members are cut
 * into `_id` ranges, and each call takes a free range (leased for `leaseMs`, longer than a slice), goes
 * on after the last member done in it (kept after every page), and takes another while time
 * is left; several instances called at once work on different ranges. A call stops before a page that
 * would start after `sliceMs`, so each fits in a function's time. All slices compute as of the instant
 * the rebuild started. A finished rebuild stays finished (an instance calling once more does nothing);
 * `restart` begins a new one, and should be called alone. A page done twice (an instance killed between its writes and its progress, its
 * range taken again once its lease ran out) changes nothing the second time.
 */
export async function rebuildLifecycle(
  db: Database,
  now: Date,
  opts: { sliceMs: number; restart?: boolean; leaseMs?: number; ranges?: number; log?: Logger },
): Promise<RebuildProgress> {
  const coll = (db as AnyDb).collection('lifecycle_rebuilds');
  const until = Date.now() + opts.sliceMs;
  const leaseMs = opts.leaseMs ?? opts.sliceMs + 60_000;
  const stored = (await coll.doc(REBUILD_ID).get()).data as RebuildDoc | null;
  const job =
    !stored || opts.restart || !stored.ranges
      ? await start(db, now, opts.ranges ?? REBUILD_RANGES)
      : { ...stored, at: new Date(stored.at) };
  // at least one page per call, so that every call makes progress
  for (let first = true; first || Date.now() < until; first = false) {
    const range = await claim(db, job, leaseMs);
    if (!range) break;
    await runRange(db, job, range, until, leaseMs, opts.log);
  }
  const progress = await progressOf(db, job);
  if (progress.done && !job.doneAt) await coll.doc(REBUILD_ID).update({ data: { doneAt: new Date() } });
  return progress;
}

async function progressOf(db: Database, job: RebuildDoc): Promise<RebuildProgress> {
  const ranges = await rangesOf(db, job);
  const sum = (f: 'members' | 'written' | 'stageChanges') => ranges.reduce((n, r) => n + r[f], 0);
  const [members, written, stageChanges] = [sum('members'), sum('written'), sum('stageChanges')];
  return { at: new Date(job.at), members, written, stageChanges, done: ranges.every((r) => r.done) };
}

const storedRebuild = async (db: Database): Promise<RebuildDoc | null> => {
  const stored = ((await (db as AnyDb).collection('lifecycle_rebuilds').doc(REBUILD_ID).get()).data ??
    null) as RebuildDoc | null;
  // a rebuild document without ranges is one no slice can go on with (the next call starts anew)
  return stored?.ranges ? stored : null;
};

/** The current rebuild's progress, read without working on it; null when none was started. */
export async function rebuildProgress(db: Database): Promise<RebuildProgress | null> {
  const job = await storedRebuild(db);
  return job ? progressOf(db, job) : null;
}

/** Whether a rebuild was started and not yet seen finished: one read. */
export async function rebuildUnfinished(db: Database): Promise<boolean> {
  const job = await storedRebuild(db);
  return job !== null && !job.doneAt;
}
