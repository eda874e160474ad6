import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Rows between two full collections. */
const ROWS_BETWEEN = 20_000;

/**
 * The import keeps nothing per row, but V8 lets the garbage of its batches (promoted to the old
 * generation while they are on their way) pile up to several times the live heap before it
 * collects: the process's memory grew with the file although the live heap did not. A full
 * collection every ROWS_BETWEEN rows (some 10 ms for the import's small heap) keeps it level.
 */
export function heapKeeper(): (rowsRead: number) => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let last = 0;
  return (rowsRead) => {
    if (rowsRead - last < ROWS_BETWEEN) return;
    last = rowsRead;
    gc();
  };
}
