import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Batch } from '../../../scripts/import/client';
import { mappingSchema } from '../../../scripts/import/mapping';
import { runImport } from '../../../scripts/import/run';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mapping = mappingSchema.parse({ source: 'legacy' });

/** A dry run of `rows` lines, every other one rejected: the live heap's growth from its first batch to the report. */
async function heapGrowth(rows: number): Promise<number> {
  const file = join(mkdtempSync(join(tmpdir(), 'import-memory-')), 'members.jsonl');
  const line = (i: number) =>
    JSON.stringify({ ref: `L${i}`, phone: i % 2 ? `bad-${i}` : `139${String(i).padStart(8, '0')}`, name: '会员' });
  writeFileSync(file, `${Array.from({ length: rows }, (_v, i) => line(i)).join('\n')}\n`);
  let first = 0;
  const send = async (_kind: string, batch: Batch) => {
    if (!first) {
      gc();
      first = process.memoryUsage().heapUsed;
    }
    return { ok: true, data: { results: batch.rows.map((r) => ({ line: r.line, outcome: 'new' })) } };
  };
  const report = await runImport({ file, kind: 'members', mapping, dryRun: true, send, parallel: 1, quiet: true });
  gc();
  const grown = process.memoryUsage().heapUsed - first;
  expect(report.rejected).toBe(rows / 2);
  return grown;
}

test('a dry run holds nothing per row: its live heap grows no more over 40,000 rows than over 4,000', async () => {
  const small = await heapGrowth(4000);
  const large = await heapGrowth(40_000);
  // 20,000 rejected rows held in memory would be several MB
  expect(large - small).toBeLessThan(1024 * 1024);
}, 120_000);
