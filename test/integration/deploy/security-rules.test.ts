import type { Emulator } from '../../../emulator/emulator';
import { planDatabase } from '../../../scripts/deploy/database';
import { collections } from '../../../server/db/schema';
import { testEmulator } from '../../support/emulator';
import { connectSdk, type Sdk } from '../../support/sdk';

/**
 * The rules deploy sets in CloudBase are the ones the emulator applies to Mini Program calls: both
 * come from server/db/schema.ts. A client may never write points or coupons directly.
 */
let emu: Emulator;
let db: Sdk['db'];
beforeAll(async () => {
  emu = await testEmulator();
  ({ db } = connectSdk(emu));
});
afterAll(() => emu.close());

const client = (body: Record<string, unknown>) =>
  fetch(`${emu.url}/client/database`, { method: 'POST', body: JSON.stringify({ openid: 'o_mallory', ...body }) }).then(
    (r) => r.json() as Promise<Record<string, unknown>>,
  );

const planned = planDatabase(collections);
const valueCollections = planned.filter((c) => !c.security.clientWrite).map((c) => c.name);

test('the deployed rules close points and coupons to client writes', () => {
  expect(valueCollections.filter((n) => /^points/.test(n)).length).toBeGreaterThan(0);
  expect(valueCollections).toContain('coupons');
});

test.each(valueCollections)(
  'a Mini Program client cannot insert, update or delete in %s; the server still can',
  async (name) => {
    await db.collection(name).add({ data: { _id: 'seed', points: 10 } });
    const insert = await client({
      action: 'database.insertDocument',
      collectionName: name,
      data: ['{"points":{"$numberInt":"1000000"}}'],
    });
    const update = await client({
      action: 'database.modifyDocument',
      collectionName: name,
      queryType: 'WHERE',
      query: '{}',
      data: '{"points":{"$numberInt":"999"}}',
      multi: true,
    });
    const remove = await client({
      action: 'database.removeDocument',
      collectionName: name,
      queryType: 'WHERE',
      query: '{}',
      multi: true,
    });
    for (const answer of [insert, update, remove]) expect(answer).toMatchObject({ code: 'DATABASE_PERMISSION_DENIED' });
    const docs = (await db.collection(name).get()).data as { _id: string; points: number }[];
    expect(docs).toEqual([{ _id: 'seed', points: 10 }]);
  },
);

test('collections the rules open for reading (ADMINWRITE) are readable by clients, so the denials above are the rules at work', async () => {
  const readable = planned.filter((c) => c.security.aclTag === 'ADMINWRITE').map((c) => c.name);
  expect(readable.length).toBeGreaterThan(0);
  for (const name of readable) {
    const answer = (await client({ action: 'database.getDocument', collectionName: name, queryType: 'WHERE' })) as {
      code?: string;
      data?: { list?: unknown };
    };
    expect(answer.code).toBeUndefined();
    // fetch's JSON comes from outside jest's realm: check the shape, not the Array constructor
    expect(Array.isArray(answer.data?.list)).toBe(true);
  }
});
