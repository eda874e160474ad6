import { legacyMember, legacyOrder } from '../../core/contracts/imports';
import type { Batch, SendBatch } from './client';
import { mapRecord, type Mapping } from './mapping';
import { clearProgress, loadProgress, progressBar, saveProgress, sha256Of, type Progress } from './progress';
import { readRecords } from './read';
import { reasonsOf } from '../../server/imports/signed-batch';

export type Kind = 'members' | 'orders';
export const BATCH_SIZE = 50;

export interface Rejected {
  line: number;
  reason: string;
}

export interface ImportReport {
  kind: Kind;
  dryRun: boolean;
  rows: number;
  new: number;
  matched: number;
  merged: number;
  rejected: Rejected[];
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

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const r of readRecords(file)) n += r ? 1 : 0;
  return n;
}

/**
 * Reads the file, maps each record, checks it against its contract (bad rows are reported with
 * their reasons and never sent), and sends the rest in signed batches. A dry run writes nothing
 * and also counts a person who appears twice in the file as matched (or merged, when a row joins
 * two earlier ones). A real run saves its progress after each batch and resumes from it.
 */
export interface ImportOptions {
  file: string;
  kind: Kind;
  mapping: Mapping;
  dryRun: boolean;
  send: SendBatch;
  maxBatches?: number;
  quiet?: boolean;
}

export async function runImport(opts: ImportOptions): Promise<ImportReport> {
  const { file, kind, mapping, dryRun, send } = opts;
  const report: ImportReport = {
    kind,
    dryRun,
    rows: 0,
    new: 0,
    matched: 0,
    merged: 0,
    rejected: [],
    changed: 0,
    stoppedAfterLine: null,
  };
  const sha = await sha256Of(file);
  const resumed: Progress | null = dryRun ? null : loadProgress(file, sha);
  const progress: Progress = resumed ?? { fileSha256: sha, doneThroughLine: 0, counts: {} };
  const total = await countLines(file);
  const bar = opts.quiet ? () => undefined : progressBar(total);
  const seen = new Map<string, number>();
  let batch: Batch['rows'] = [];
  let batches = 0;
  let read = 0;

  const tally = (o: Outcome) => {
    if (o.outcome === 'rejected') report.rejected.push({ line: o.line, reason: o.reason ?? 'rejected' });
    else report[o.outcome]++;
    if (o.changed) report.changed++;
  };
  const flush = async (): Promise<boolean> => {
    if (batch.length === 0) return true;
    const lastLine = batch[batch.length - 1]!.line;
    const answer = (await send(kind, { source: mapping.source, dryRun, rows: batch })) as Answer;
    if (!answer?.ok || !answer.data) {
      const why = `${answer?.error?.code ?? 'no answer'} ${answer?.error?.message ?? ''}`;
      throw new Error(`batch ending at line ${lastLine} refused: ${why}`);
    }
    for (const o of answer.data.results) tally(dryRun && kind === 'members' ? inFile(o) : o);
    batch = [];
    batches++;
    if (!dryRun) saveProgress(file, { ...progress, doneThroughLine: lastLine });
    bar(read, dryRun ? 'checked' : 'imported');
    return opts.maxBatches === undefined || batches < opts.maxBatches;
  };
  /** A dry run's identity keys of the rows in the batch on its way, by line. */
  const keysByLine = new Map<number, string[]>();
  const inFile = (o: Outcome): Outcome => {
    if (o.outcome === 'rejected') return o;
    const keys = keysByLine.get(o.line) ?? [];
    keysByLine.delete(o.line);
    const earlier = new Set(keys.map((k) => seen.get(k)).filter((l): l is number => l !== undefined));
    for (const k of keys) if (!seen.has(k)) seen.set(k, o.line);
    if (earlier.size === 0) return o;
    if (o.outcome === 'new') return { ...o, outcome: earlier.size > 1 ? 'merged' : 'matched' };
    return earlier.size > 1 ? { ...o, outcome: 'merged' } : o;
  };

  for await (const rec of readRecords(file)) {
    read++;
    if (rec.line <= progress.doneThroughLine) continue;
    report.rows++;
    if (!rec.record) {
      report.rejected.push({ line: rec.line, reason: rec.error ?? 'unreadable' });
      continue;
    }
    const row = mapRecord(rec.record, mapping);
    const parsed = contractOf(kind).safeParse(row);
    if (!parsed.success) {
      report.rejected.push({ line: rec.line, reason: reasonsOf(parsed.error) });
      continue;
    }
    // only a dry run finds one person twice in the file; a real run keeps nothing per row (flat memory)
    if (dryRun && kind === 'members') keysByLine.set(rec.line, fileKeys(mapping.source, row));
    batch.push({ line: rec.line, row });
    if (batch.length >= BATCH_SIZE && !(await flush())) {
      report.stoppedAfterLine = rec.line;
      return byLine(report);
    }
  }
  await flush();
  if (!dryRun) clearProgress(file);
  if (!opts.quiet) process.stderr.write('\n');
  return byLine(report);
}

const byLine = (r: ImportReport): ImportReport => ({ ...r, rejected: [...r.rejected].sort((a, b) => a.line - b.line) });
