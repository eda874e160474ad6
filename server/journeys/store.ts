import {
  AUTHORING_FIELDS,
  journeySchema,
  versionKey,
  type Journey,
  type JourneyEvent,
  type JourneyRun,
  type JourneyVersionDoc,
} from '../../core/journeys';
import { readDoc } from '../db/documents';
import type { Logger } from '../kit/logger';
import type { Database, AnyDb } from '../runtime/cloud';

/**
 * The live journey a `journeys` document holds, without its authoring fields; undefined for a
 * journey never published (a draft alone).
 */
export function liveBodyOf(doc: Record<string, unknown>): Record<string, unknown> | undefined {
  if (doc['status'] === 'draft') return undefined;
  const { _id, ...rest } = doc;
  for (const f of AUTHORING_FIELDS) delete rest[f];
  return { ...rest, id: rest['id'] ?? _id };
}

/** Every live journey that parses (a broken one is logged and left out, never run). */
export async function loadJourneys(db: Database, log: Logger): Promise<JourneyBook> {
  const r = await (db as AnyDb).collection('journeys').limit(1000).get();
  const out = new Map<string, Journey>();
  for (const doc of r.data as Record<string, unknown>[]) {
    const body = liveBodyOf(doc);
    if (!body) continue;
    const parsed = journeySchema.safeParse(body);
    if (parsed.success) out.set(parsed.data.id, parsed.data);
    else {
      const issues = parsed.error.issues.slice(0, 3).map((i) => i.message);
      log.warn('journey skipped: invalid', { journeyId: String(doc['_id']), issues });
    }
  }
  return new JourneyBook(db, out);
}

/**
 * The live journeys, and the earlier versions runs in flight still follow (read when a run asks).
 * A run finishes on the version it started on; switching the journey off still ends it.
 */
export class JourneyBook {
  private readonly older = new Map<string, Journey | null>();
  constructor(
    private readonly db: Database,
    readonly live: Map<string, Journey>,
  ) {}

  async forRun(run: Pick<JourneyRun, 'journeyId' | 'version'>): Promise<Journey | undefined> {
    const current = this.live.get(run.journeyId);
    if (!current || !run.version || current.version === run.version) return current;
    const key = versionKey(run.journeyId, run.version);
    if (!this.older.has(key)) {
      const doc = await readDoc<JourneyVersionDoc>(this.db, 'journey_versions', key);
      const parsed = doc ? journeySchema.safeParse(doc.journey) : null;
      this.older.set(key, parsed?.success ? parsed.data : null);
    }
    const older = this.older.get(key);
    return older ? { ...older, enabled: current.enabled } : current;
  }
}

const date = (v: unknown): Date => (v instanceof Date ? v : new Date(v as string));
const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : date(v));
const event = (e: JourneyEvent): JourneyEvent => ({ ...e, at: date(e.at) });

/** A stored run (`journey_runs/{runId}`) with its dates as Date objects. */
export function runOf(doc: Record<string, unknown>): JourneyRun {
  const r = doc as unknown as JourneyRun & { _id: string };
  return {
    runId: r.runId,
    journeyId: r.journeyId,
    ...(typeof r.version === 'number' ? { version: r.version } : {}),
    memberId: r.memberId,
    trigger: event(r.trigger),
    enteredAt: date(r.enteredAt),
    status: r.status,
    cursor: r.cursor ?? null,
    arrivedAt: date(r.arrivedAt),
    nextDueAt: dateOrNull(r.nextDueAt),
    visits: r.visits ?? {},
    history: (r.history ?? []).map((h) => ({ ...h, at: date(h.at), ranAt: date(h.ranAt) })),
    evidence: (r.evidence ?? []).map(event),
    endedAt: dateOrNull(r.endedAt),
    exitReason: r.exitReason ?? null,
  };
}

/** The stored body of a run (the `_id` is the run id). `subjectId` undefined fields are dropped: the database keeps no undefined. */
export const runBody = (run: JourneyRun): Record<string, unknown> =>
  JSON.parse(JSON.stringify(run), (k, v) =>
    typeof v === 'string' && /At$|^at$/.test(k) && /^\d{4}-\d\d-\d\dT/.test(v) ? new Date(v) : v,
  );

/** Whether two reads of a run are the same version (nothing advanced or exited it in between). */
export const sameVersion = (a: JourneyRun, b: JourneyRun): boolean =>
  a.status === b.status &&
  a.cursor === b.cursor &&
  a.history.length === b.history.length &&
  a.evidence.length === b.evidence.length &&
  (a.nextDueAt?.getTime() ?? null) === (b.nextDueAt?.getTime() ?? null);
