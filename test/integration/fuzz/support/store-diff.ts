import type { Emulator } from '../../../../emulator/emulator';

/** Every document of every collection by its commit sequence: any insert, update or removal shows. */
export type StoreMark = { seq: number; docs: Map<string, Map<string, number>> };

/** The store's commit counter: it moves on every write and on nothing else. */
const commitSeq = (emu: Emulator): number => emu.db.store['seq'];

let cached: { emu: Emulator; mark: StoreMark } | undefined;

/** A mark of the whole store; reused while no commit happened since the last one was taken. */
export function markStore(emu: Emulator): StoreMark {
  const seq = commitSeq(emu);
  if (cached?.emu === emu && cached.mark.seq === seq) return cached.mark;
  const docs = new Map<string, Map<string, number>>();
  for (const coll of emu.db.store.listCollections()) {
    const ids = new Map<string, number>();
    for (const d of emu.db.store.scan(coll)) ids.set(d.id, d.seq);
    docs.set(coll, ids);
  }
  cached = { emu, mark: { seq, docs } };
  return cached.mark;
}

export interface Written {
  coll: string;
  id: string;
  change: 'inserted' | 'updated' | 'removed';
}

/** What was written between two marks. */
export function writesBetween(before: StoreMark, after: StoreMark): Written[] {
  if (before === after) return [];
  const out: Written[] = [];
  for (const [coll, docs] of after.docs) {
    const was = before.docs.get(coll) ?? new Map<string, number>();
    for (const [id, seq] of docs) {
      if (!was.has(id)) out.push({ coll, id, change: 'inserted' });
      else if (was.get(id) !== seq) out.push({ coll, id, change: 'updated' });
    }
    for (const id of was.keys()) if (!docs.has(id)) out.push({ coll, id, change: 'removed' });
  }
  return out;
}
