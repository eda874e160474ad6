import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnEmulator } from '../../support/emulator-process';

/**
 * Durability: kill -9 the emulator while writes are in flight, restart it on the same data folder:
 * every acknowledged write is there, and no transaction is half-applied.
 */
let dataDir: string;
const startProcess = () =>
  spawnEmulator({ dataDir, functionsDir: '/nonexistent', collections: [{ name: 'ledger' }, { name: 'accounts' }] });

async function admin(url: string, body: Record<string, unknown>) {
  const res = await fetch(`${url}/admin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown> & { data?: Record<string, unknown>; transactionId?: string };
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'emu-durable-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test('acknowledged writes survive kill -9; transactions are all or nothing', async () => {
  const first = await startProcess();
  await admin(first.url, {
    action: 'database.insertDocument',
    collectionName: 'accounts',
    data: [JSON.stringify({ _id: 'a', bal: 1000 }), JSON.stringify({ _id: 'b', bal: 0 })],
  });

  const acknowledged: string[] = [];
  let stop = false;
  const inserts = (async () => {
    for (let i = 0; !stop; i++) {
      const r = await admin(first.url, {
        action: 'database.insertDocument',
        collectionName: 'ledger',
        data: [JSON.stringify({ _id: `row${i}`, n: i })],
      }).catch(() => null);
      if (r?.data) acknowledged.push(`row${i}`);
      else break;
    }
  })();
  const transfers = (async () => {
    while (!stop) {
      const t = await admin(first.url, { action: 'database.startTransaction' }).catch(() => null);
      if (!t?.transactionId) break;
      const tx = t.transactionId;
      const ok = await Promise.all([
        admin(first.url, {
          action: 'database.modifyDocument',
          collectionName: 'accounts',
          transactionId: tx,
          queryType: 'DOC',
          query: '{"_id":"a"}',
          data: '{"$inc":{"bal":-1}}',
          multi: false,
          merge: true,
          upsert: false,
        }),
        admin(first.url, {
          action: 'database.modifyDocument',
          collectionName: 'accounts',
          transactionId: tx,
          queryType: 'DOC',
          query: '{"_id":"b"}',
          data: '{"$inc":{"bal":1}}',
          multi: false,
          merge: true,
          upsert: false,
        }),
      ]).catch(() => null);
      if (!ok) break;
      await admin(first.url, { action: 'database.commitTransaction', transactionId: tx }).catch(() => null);
    }
  })();

  await new Promise((r) => setTimeout(r, 700));
  first.child.kill('SIGKILL');
  stop = true;
  await Promise.all([inserts, transfers]);
  expect(acknowledged.length).toBeGreaterThan(20);

  const second = await startProcess();
  try {
    const rows = await admin(second.url, { action: 'database.calculateDocument', collectionName: 'ledger' });
    const stored = (rows.data?.total as number) ?? 0;
    expect(stored).toBeGreaterThanOrEqual(acknowledged.length);
    const lastAck = acknowledged[acknowledged.length - 1] as string;
    const found = await admin(second.url, {
      action: 'database.getDocument',
      collectionName: 'ledger',
      queryType: 'DOC',
      query: JSON.stringify({ _id: lastAck }),
      multi: false,
    });
    expect((found.data?.list as string[]).length).toBe(1);
    const accts = await admin(second.url, {
      action: 'database.getDocument',
      collectionName: 'accounts',
      queryType: 'WHERE',
      query: '{}',
      limit: 10,
    });
    const bal = (accts.data?.list as string[]).map((s) => JSON.parse(s) as { bal: number });
    expect(bal.reduce((sum, a) => sum + a.bal, 0)).toBe(1000);
    expect(bal[1]!.bal).toBeGreaterThan(0);
  } finally {
    second.child.kill('SIGKILL');
  }
});
