import type { Database } from '../runtime/cloud';
import type { Tx } from '../db/transaction';
import { insertMissing } from '../db/insert';
import type { StageHistoryDoc } from './documents';
import { membersQuery } from '../members/store';

/**
 * A stage change the nightly review wrote onto the member without a transaction, in the same
 * update as the new stage, whose `stage_history` row and `member.stage_changed` event are written
 * after it (for a page of members at once) and the log then cleared. Row and event ids come from the
 * member and the instant, so writing them twice is writing the same documents. A crash in between
 * leaves the log on the member: the next nightly run (index `stageLog.at`) or the member's next
 * lifecycle transaction writes what it owes.
 */
export interface StageLog {
  from: string | null;
  to: string;
  at: Date;
  cause: string;
}

export function stageLogDocs(
  memberId: string,
  log: StageLog,
): { history: Record<string, unknown> & { _id: string }; event: Record<string, unknown> & { _id: string } } {
  const key = `${memberId}:${new Date(log.at).getTime()}`;
  const row: StageHistoryDoc = { memberId, from: log.from, to: log.to, at: log.at, cause: log.cause };
  return {
    history: { _id: `stage:${key}`, ...row },
    event: {
      _id: `ev_stage:${key}`,
      type: 'member.stage_changed',
      memberId,
      at: log.at,
      data: { from: log.from, to: log.to, cause: log.cause },
    },
  };
}

/** Writes the rows the logs owe, then clears the logs. */
export async function flushStageLogs(db: Database, logged: { memberId: string; log: StageLog }[]): Promise<void> {
  if (logged.length === 0) return;
  const docs = logged.map((l) => stageLogDocs(l.memberId, l.log));
  await insertMissing(
    db,
    'stage_history',
    docs.map((d) => d.history),
  );
  await insertMissing(
    db,
    'events',
    docs.map((d) => d.event),
  );
  for (let i = 0; i < logged.length; i += 1000) {
    await membersQuery(db)
      .where({ _id: db.command.in(logged.slice(i, i + 1000).map((l) => l.memberId)) })
      .update({ data: { stageLog: null } });
  }
}

/** The logs a crash left behind (members whose log is older than `now`), flushed a page at a time. */
export async function flushLeftStageLogs(db: Database, now: Date): Promise<number> {
  let n = 0;
  for (;;) {
    const r = (await membersQuery(db)
      .where({ 'stageLog.at': db.command.lte(now) })
      .field({ stageLog: true })
      .limit(1000)
      .get()) as unknown as { data: { _id: string; stageLog: StageLog }[] };
    await flushStageLogs(
      db,
      r.data.map((d) => ({ memberId: d._id, log: d.stageLog })),
    );
    n += r.data.length;
    if (r.data.length < 1000) return n;
  }
}

/** Inside a lifecycle transaction: writes what a log left on the member owes (the caller clears the field). */
export async function flushStageLogTx(tx: Tx, memberId: string, log: StageLog): Promise<void> {
  const { history, event } = stageLogDocs(memberId, log);
  const { _id: hid, ...h } = history;
  const { _id: eid, ...e } = event;
  await tx
    .collection('stage_history')
    .doc(hid)
    .set({ data: { ...h } });
  await tx.collection('events').doc(eid).set({ data: e });
}
