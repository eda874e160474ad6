import type { Emulator } from './emulator';
import { cloneDoc } from './db/values';

/** Loads fixed documents straight into the store (idempotent: existing ids are overwritten). */
export function seedDocuments(
  emu: Emulator,
  data: Record<string, ReadonlyArray<{ _id: string } & Record<string, unknown>>>,
): number {
  let n = 0;
  for (const [coll, docs] of Object.entries(data)) {
    emu.db.store.createCollection(coll);
    emu.db.store.apply(docs.map((d) => ({ coll, id: d._id, doc: cloneDoc(d) as Record<string, unknown> })));
    n += docs.length;
  }
  return n;
}
