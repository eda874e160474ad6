import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Batch } from '../../../scripts/import/client';
import { mappingSchema } from '../../../scripts/import/mapping';
import { runImport } from '../../../scripts/import/run';
import { SeenKeys } from '../../../scripts/import/seen-keys';

/** The CLI's own part: batches in flight, the order answers are counted in, the dry run's keys on disk. */
const mapping = mappingSchema.parse({ source: 'legacy' });
const memberLine = (ref: string, phone: string) => JSON.stringify({ ref, phone, name: '会员' });

function fileOf(lines: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'import-run-')), 'members.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

test('SeenKeys: a key met again names the first line that had it; new keys are kept under their line', () => {
  const seen = new SeenKeys();
  try {
    expect([...seen.meet(['phone:1', 'card:1'], 1)]).toEqual([]);
    expect([...seen.together(() => seen.meet(['card:1', 'phone:2'], 5))]).toEqual([1]);
    expect([...seen.meet(['phone:2', 'phone:1'], 9)].sort()).toEqual([1, 5]);
  } finally {
    seen.close();
  }
});

test('batches go several at a time, never two naming one person at once; answers count in file order', async () => {
  // 200 people, then the first 50 again: the last batch must wait for the first
  const lines = [...Array.from({ length: 200 }, (_v, i) => i), ...Array.from({ length: 50 }, (_v, i) => i)].map((i) =>
    memberLine(`L${i}`, `139${String(i).padStart(8, '0')}`),
  );
  const inFlight = new Set<Batch>();
  let most = 0;
  const clash: string[] = [];
  const send = async (_kind: string, batch: Batch) => {
    const refs = (b: Batch) => b.rows.map((r) => (r.row as { ref: string }).ref);
    for (const other of inFlight) if (refs(other).some((r) => refs(batch).includes(r))) clash.push(refs(batch)[0]!);
    inFlight.add(batch);
    most = Math.max(most, inFlight.size);
    // later batches answer sooner: counting must still follow the file
    await new Promise((resolve) => setTimeout(resolve, 40 - batch.rows[0]!.line / 10));
    inFlight.delete(batch);
    const dup = (line: number) => line > 200;
    return {
      ok: true,
      data: { results: batch.rows.map((r) => ({ line: r.line, outcome: dup(r.line) ? 'matched' : 'new' })) },
    };
  };
  const report = await runImport({
    file: fileOf(lines),
    kind: 'members',
    mapping,
    dryRun: false,
    send,
    parallel: 3,
    quiet: true,
  });
  expect(most).toBe(3);
  expect(clash).toEqual([]);
  expect(report).toMatchObject({ rows: 250, new: 200, matched: 50, stoppedAfterLine: null });
});

test('a dry run finds a person twice in the file with its keys kept on disk, and counts them as matched', async () => {
  const lines = [memberLine('A', '13900000001'), memberLine('B', '13900000002'), memberLine('C', '13900000001')];
  const send = async (_kind: string, batch: Batch) => ({
    ok: true,
    data: { results: batch.rows.map((r) => ({ line: r.line, outcome: 'new' })) },
  });
  const report = await runImport({ file: fileOf(lines), kind: 'members', mapping, dryRun: true, send, quiet: true });
  expect(report).toMatchObject({ rows: 3, new: 2, matched: 1, merged: 0 });
});

test('rejected rows go to a file in line order, refused here or by the server; a resumed run keeps each once', async () => {
  // every 7th line unreadable, every 5th refused by the server, the rest new
  const lines = Array.from({ length: 300 }, (_v, i) =>
    (i + 1) % 7 === 0 ? 'not json' : memberLine(`L${i}`, `139${String(i).padStart(8, '0')}`),
  );
  const file = fileOf(lines);
  const send = async (_kind: string, batch: Batch) => {
    // the first batch answers last: its rejections must still come first
    await new Promise((resolve) => setTimeout(resolve, batch.rows[0]!.line === 1 ? 30 : 1));
    const results = batch.rows.map((r) =>
      r.line % 5 === 0 ? { line: r.line, outcome: 'rejected', reason: 'refused' } : { line: r.line, outcome: 'new' },
    );
    return { ok: true, data: { results } };
  };
  const base = { file, kind: 'members' as const, mapping, dryRun: false, send, parallel: 3, quiet: true };
  const expected = Array.from({ length: 300 }, (_v, i) => i + 1).filter((l) => l % 7 === 0 || l % 5 === 0);
  const first = await runImport({ ...base, maxBatches: 2 });
  const rest = await runImport(base);
  const written = readFileSync(rest.rejectedFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { line: number; reason: string });
  expect(written.map((r) => r.line)).toEqual(expected);
  expect(written.find((r) => r.line === 7)?.reason).toMatch(/^not JSON/);
  expect(first.rejected + rest.rejected).toBe(expected.length);
  expect(rest.firstRejected).toHaveLength(20);
});
