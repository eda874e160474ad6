import { legacyMember, legacyOrder } from '../../core/contracts/imports';
import type { Batch, SendBatch } from './client';
import { mapRecord, type Mapping } from './mapping';
import { clearProgress, loadProgress, progressBar, saveProgress, sha256Of, type Progress } from './progress';
import { readRecords } from './read';
import { reasonsOf } from '../../server/imports/signed-batch';
import { SeenKeys } from './seen-keys';
import { RejectedRows, type Rejected } from './rejections';

export type Kind = 'members' | 'orders';
/**
 * Rows per signed batch. The import actions take up to 200, but batches of 50 measured faster (20,000 rows
 * alone: 1,054 members/s and 660 orders/s against 933 and 584 at 200): smaller calls overlap better.
 */
export const BATCH_SIZE = 50;

export interface ImportReport {
  kind: Kind;
  dryRun: boolean;
  rows: number;
  new: number;
  matched: number;
  merged: number;
  /** rows rejected, each with its reasons in `rejectedFile` (JSON lines, in file order) */
  rejected: number;
  rejectedFile: string;
  /** the first rejected rows, for the summary */
  firstRejected: Rejected[];
  /** Applied rows that changed something (a second run gives 0). */
  changed: number;
  /** The line the import stopped after when `maxBatches` cut it short; null when it went through. */
  stoppedAfterLine: number | null;
}

type Outcome = { line: number; outcome: 'new' | 'matched' | 'merged' | 'rejected'; reason?: string; changed?: boolean };
type Answer = { ok: boolean; data?: { results: Outcome[] }; error?: { code: string; message: string } } | undefined;

const contractOf = (kind: Kind) => (kind === 'members' ? legacyMember : legacyOrder);

/** The identity keys of a mapped member row, to find one person twice in a file during a dry run. */
function fileKeys(source: string, row: Record<string, unknown>): string[] {
  const ext = Object.entries((row.externalIds as Record<string, string>) ?? {}).map(([s, id]) => `external:${s}:${id}`);
  const own = (['phone', 'unionid', 'cardNo'] as const).filter((k) => row[k]).map((k) => `${k}:${String(row[k])}`);
  return [`external:${source}:${String(row.ref)}`, ...ext, ...own];
}

/** The keys naming an order's buyer: two batches in flight never touch one buyer by the same key. */
function buyerKeys(source: string, row: Record<string, unknown>): string[] {
  const ref = row.memberRef ? [`external:${source}:${String(row.memberRef)}`] : [];
  return [...ref, ...(['phone', 'cardNo'] as const).filter((k) => row[k]).map((k) => `${k}:${String(row[k])}`)];
}

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const r of readRecords(file)) n += r ? 1 : 0;
  return n;
}

/** A batch on its way: its rows' keys (none shared with another batch in flight) and, once answered, the answer. */
interface Sent {
  rows: Batch['rows'];
  /** rows refused here (unreadable, failing their contract) before this batch's last line */
  local: Rejected[];
  keys: string[];
  lastLine: number;
  outcomes?: Outcome[];
}

/**
 * Reads the file, maps each record, checks it against its contract (bad rows are reported with
 * their reasons and never sent), and sends the rest in signed batches, `parallel` at a time; two
 * batches in flight never share an identity key, so one person is never linked twice at once.
 * Answers are counted in file order; a real run saves, after each, the line up to which every
 * batch is done, and resumes after it (rows past it that were done already change nothing again).
 * A dry run writes nothing and also counts a person who appears twice in the file as matched (or
 * merged, when a row joins two earlier ones), keeping the keys it met in a temporary SQLite file.
 */
export interface ImportOptions {
  file: string;
  kind: Kind;
  mapping: Mapping;
  dryRun: boolean;
  send: SendBatch;
  maxBatches?: number;
  /** batches in flight at once (default PARALLEL) */
  parallel?: number;
  batchSize?: number;
  quiet?: boolean;
  /** where rejected rows go (default `<file>.rejected.jsonl`, `<file>.dry-run-rejected.jsonl` for a dry run) */
  rejectedFile?: string;
}

export const rejectedFileOf = (file: string, dryRun: boolean): string =>
  `${file}.${dryRun ? 'dry-run-rejected' : 'rejected'}.jsonl`;
/** Rejected rows held for a batch still on its way; at this many the import waits for it and writes them. */
const HELD_REJECTIONS = 1000;

export const PARALLEL = 2;
const ATTEMPTS = 3;

/**
 * A call that failed on its way (a timeout, a dropped connection) is made again, up to ATTEMPTS in
 * all: a batch applied twice changes nothing the second time. An answer refusing the batch is final.
 */
async function sendWithRetries(call: () => Promise<unknown>, lastLine: number): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (attempt >= ATTEMPTS) throw e;
      process.stderr.write(`batch ending at line ${lastLine}: ${(e as Error).message}; sending it again\n`);
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

export async function runImport(opts: ImportOptions): Promise<ImportReport> {
  const seen = opts.dryRun && opts.kind === 'members' ? new SeenKeys() : null;
  try {
    return await importWith(opts, seen);
  } finally {
    seen?.close();
  }
}

async function importWith(opts: ImportOptions, seen: SeenKeys | null): Promise<ImportReport> {
  const sha = await sha256Of(opts.file);
  const resumed: Progress | null = opts.dryRun ? null : loadProgress(opts.file, sha);
  const rejected = new RejectedRows(
    opts.rejectedFile ?? rejectedFileOf(opts.file, opts.dryRun),
    resumed?.rejectedBytes ?? null,
  );
  try {
    return await importRows(opts, seen, sha, resumed, rejected);
  } finally {
    rejected.close();
  }
}

async function importRows(
  opts: ImportOptions,
  seen: SeenKeys | null,
  sha: string,
  resumed: Progress | null,
  rejected: RejectedRows,
): Promise<ImportReport> {
  const { file, kind, mapping, dryRun, send } = opts;
  const parallel = Math.max(1, opts.parallel ?? PARALLEL);
  const batchSize = opts.batchSize ?? BATCH_SIZE;
  const report: ImportReport = {
    kind,
    dryRun,
    rows: 0,
    new: 0,
    matched: 0,
    merged: 0,
    rejected: 0,
    rejectedFile: rejected.path,
    firstRejected: [],
    changed: 0,
    stoppedAfterLine: null,
  };
  const progress: Progress = resumed ?? { fileSha256: sha, doneThroughLine: 0, counts: {} };
  const total = await countLines(file);
  const bar = opts.quiet ? () => undefined : progressBar(total);
  const queue: Sent[] = [];
  const busy = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  let failure: Error | null = null;
  let batch: Batch['rows'] = [];
  let keys: string[] = [];
  let held: Rejected[] = [];
  let batches = 0;
  let read = 0;

  const tally = (o: Outcome, refused: Rejected[]) => {
    if (o.outcome === 'rejected') refused.push({ line: o.line, reason: o.reason ?? 'rejected' });
    else report[o.outcome]++;
    if (o.changed) report.changed++;
  };
  /** A row refused here: written at once when nothing before it is still on its way, else with the next batch. */
  const refuse = async (r: Rejected) => {
    if (batch.length === 0 && queue.length === 0) return rejected.write([r]);
    held.push(r);
    if (held.length >= HELD_REJECTIONS && batch.length === 0) {
      await finish();
      rejected.write(held);
      held = [];
    }
  };
  /** A dry run's answer for a row, seen against the rows before it in the file. */
  const inFile = (o: Outcome, rowKeys: string[]): Outcome => {
    if (o.outcome === 'rejected' || !seen) return o;
    const earlier = seen.meet(rowKeys, o.line);
    if (earlier.size === 0) return o;
    if (o.outcome === 'new') return { ...o, outcome: earlier.size > 1 ? 'merged' : 'matched' };
    return earlier.size > 1 ? { ...o, outcome: 'merged' } : o;
  };
  /** Counts the answered batches at the head of the queue, in file order, and moves the resume point past them. */
  const settle = () => {
    while (queue[0]?.outcomes) {
      const s = queue.shift()!;
      const keysOf = new Map(s.rows.map((r) => [r.line, r.row as Record<string, unknown>]));
      const refused = [...s.local];
      const count = () => {
        for (const o of s.outcomes!)
          tally(inFile(o, seen ? fileKeys(mapping.source, keysOf.get(o.line) ?? {}) : []), refused);
      };
      if (seen) seen.together(count);
      else count();
      rejected.write(refused.sort((a, b) => a.line - b.line));
      if (!dryRun) saveProgress(file, { ...progress, doneThroughLine: s.lastLine, rejectedBytes: rejected.bytes });
      bar(Math.min(read, total), dryRun ? 'checked' : 'imported');
    }
  };
  const launch = (s: Sent) => {
    for (const k of s.keys) busy.set(k, (busy.get(k) ?? 0) + 1);
    const task = sendWithRetries(() => send(kind, { source: mapping.source, dryRun, rows: s.rows }), s.lastLine).then(
      (raw) => {
        const answer = raw as Answer;
        if (!answer?.ok || !answer.data) {
          const why = `${answer?.error?.code ?? 'no answer'} ${answer?.error?.message ?? ''}`;
          throw new Error(`batch ending at line ${s.lastLine} refused: ${why}`);
        }
        s.outcomes = answer.data.results;
      },
    );
    const done: Promise<void> = task
      .catch((e: Error) => {
        failure ??= e;
      })
      .finally(() => {
        for (const k of s.keys) {
          const n = busy.get(k)! - 1;
          if (n) busy.set(k, n);
          else busy.delete(k);
        }
        inFlight.delete(done);
        if (!failure) settle();
      });
    inFlight.add(done);
  };
  const clashes = (ks: string[]) => ks.some((k) => busy.has(k));
  /** Sends the batch being filled once there is room and none of its keys is in flight; false to stop reading. */
  const flush = async (): Promise<boolean> => {
    if (batch.length === 0) return true;
    const s: Sent = { rows: batch, local: held, keys: [...new Set(keys)], lastLine: batch[batch.length - 1]!.line };
    batch = [];
    keys = [];
    held = [];
    while (!failure && (inFlight.size >= parallel || clashes(s.keys))) await Promise.race(inFlight);
    if (failure) throw failure;
    queue.push(s);
    launch(s);
    batches++;
    return opts.maxBatches === undefined || batches < opts.maxBatches;
  };
  const finish = async () => {
    await Promise.all(inFlight);
    if (failure) throw failure;
  };

  for await (const rec of readRecords(file)) {
    read++;
    if (rec.line <= progress.doneThroughLine) continue;
    report.rows++;
    if (!rec.record) {
      await refuse({ line: rec.line, reason: rec.error ?? 'unreadable' });
      continue;
    }
    const row = mapRecord(rec.record, mapping);
    const parsed = contractOf(kind).safeParse(row);
    if (!parsed.success) {
      await refuse({ line: rec.line, reason: reasonsOf(parsed.error) });
      continue;
    }
    batch.push({ line: rec.line, row });
    keys.push(...(kind === 'members' ? fileKeys(mapping.source, row) : buyerKeys(mapping.source, row)));
    if (batch.length >= batchSize && !(await flush())) {
      await finish();
      report.stoppedAfterLine = rec.line;
      return withRejected(report, rejected);
    }
  }
  await flush();
  await finish();
  rejected.write(held);
  if (!dryRun) clearProgress(file);
  if (!opts.quiet) process.stderr.write('\n');
  return withRejected(report, rejected);
}

const withRejected = (r: ImportReport, rows: RejectedRows): ImportReport => ({
  ...r,
  rejected: rows.count,
  firstRejected: rows.first,
});
