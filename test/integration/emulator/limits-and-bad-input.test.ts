import type { Emulator } from '../../../emulator/emulator';
import { startEmulator } from '../../../emulator/emulator';
import { connectSdk, rawAdmin, type Sdk } from '../../support/sdk';

/** The platform's limits, declared indexes and rules, and bad input that must never crash the emulator. */
let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  emu = await startEmulator({
    functionsDir: '/nonexistent',
    limits: { maxDocumentBytes: 4096, maxRequestBytes: 64 * 1024 },
    collections: [
      {
        name: 'people',
        indexes: [
          { name: 'phone_unique', fields: ['phone'], unique: true },
          { name: 'city', fields: ['city'] },
        ],
      },
      { name: 'notices', clientAccess: { read: true, write: false } },
      { name: 'points_ledger', clientAccess: { read: false, write: false } },
    ],
  });
  ({ db } = connectSdk(emu));
  await db
    .collection('notices')
    .add({ data: Array.from({ length: 30 }, (_v, i) => ({ _id: `n${String(i).padStart(2, '0')}`, i })) });
});
afterAll(() => emu.close());

const client = (body: Record<string, unknown>) =>
  fetch(`${emu.url}/client/database`, { method: 'POST', body: JSON.stringify({ openid: 'o_client', ...body }) }).then(
    (r) => r.json() as Promise<Record<string, unknown> & { data?: { list?: unknown[] } }>,
  );

test('a unique index refuses a second document with the same key, like the platform (E11000); a missing field is not a key', async () => {
  await db.collection('people').add({ data: { _id: 'a', phone: '13800000001' } });
  await expect(db.collection('people').add({ data: { _id: 'b', phone: '13800000001' } })).rejects.toMatchObject({
    errCode: -502001,
    errMsg: expect.stringContaining('phone_unique'),
  });
  await expect(
    db
      .collection('people')
      .doc('a')
      .set({ data: { phone: '13800000002' } }),
  ).resolves.toBeDefined();
  await db.collection('people').add({ data: [{ _id: 'c' }, { _id: 'd' }] });
  expect((await db.collection('people').count()).total).toBe(3);
});

test('a unique violation inside a transaction aborts the whole commit', async () => {
  await db.collection('people').add({ data: { _id: 'e', phone: '13800000009' } });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's typings give the transaction handle as any
  const tx = db.runTransaction(async (t: any) => {
    await t
      .collection('people')
      .doc('f')
      .set({ data: { phone: '13800000010' } });
    await t
      .collection('people')
      .doc('g')
      .set({ data: { phone: '13800000009' } });
  });
  await expect(tx).rejects.toBeDefined();
  expect((await db.collection('people').where({ phone: '13800000010' }).count()).total).toBe(0);
});

test('equality lookups on an indexed field use the index, and stay correct after updates', async () => {
  await db.collection('people').add({
    data: [
      { _id: 'h', city: '上海' },
      { _id: 'i', city: '深圳' },
    ],
  });
  await db
    .collection('people')
    .doc('h')
    .update({ data: { city: '深圳' } });
  const found = (await db.collection('people').where({ city: '深圳' }).get()).data.map((d: { _id: string }) => d._id);
  expect(found).toEqual(['h', 'i']);
  expect((await db.collection('people').where({ city: '上海' }).get()).data).toEqual([]);
});

test('a document over the size limit is refused with an error naming the limit', async () => {
  await expect(db.collection('people').add({ data: { blob: 'x'.repeat(5000) } })).rejects.toMatchObject({
    errMsg: expect.stringContaining('exceeds the limit of 4096 bytes'),
  });
});

test('client reads: at most 20 documents; more is refused naming the limit', async () => {
  const r = await client({ action: 'database.getDocument', collectionName: 'notices', queryType: 'WHERE' });
  expect(r.data?.list).toHaveLength(20);
  const tooMany = await client({
    action: 'database.getDocument',
    collectionName: 'notices',
    queryType: 'WHERE',
    limit: 21,
  });
  expect(tooMany).toMatchObject({ code: 'INVALID_PARAM', message: expect.stringContaining('maximum of 20') });
});

test('security rules: clients cannot write read-only or closed collections, and cannot read closed ones', async () => {
  const write = await client({ action: 'database.insertDocument', collectionName: 'notices', data: ['{"x":1}'] });
  expect(write).toMatchObject({ code: 'DATABASE_PERMISSION_DENIED' });
  const ledger = await client({
    action: 'database.insertDocument',
    collectionName: 'points_ledger',
    data: ['{"points":{"$numberInt":"1000"}}'],
  });
  expect(ledger).toMatchObject({ code: 'DATABASE_PERMISSION_DENIED' });
  const read = await client({ action: 'database.getDocument', collectionName: 'points_ledger', queryType: 'WHERE' });
  expect(read).toMatchObject({ code: 'DATABASE_PERMISSION_DENIED' });
  expect((await db.collection('points_ledger').count()).total).toBe(0);
});

test.each([
  ['malformed JSON body', '{"action":'],
  ['a JSON array body', '[1,2]'],
  [
    'malformed EJSON in a query',
    { action: 'database.getDocument', collectionName: 'people', queryType: 'WHERE', query: '{"a":{"$date":' },
  ],
  [
    'a query that is not an object',
    { action: 'database.getDocument', collectionName: 'people', queryType: 'WHERE', query: '[1]' },
  ],
  ['an unknown action', { action: 'database.dropEverything' }],
  ['a bad collection name', { action: 'database.getDocument', collectionName: '../etc', queryType: 'WHERE' }],
  [
    'an unknown query operator',
    { action: 'database.getDocument', collectionName: 'people', queryType: 'WHERE', query: '{"a":{"$frobnicate":1}}' },
  ],
  [
    'a server limit over 1000',
    { action: 'database.getDocument', collectionName: 'people', queryType: 'WHERE', limit: 5000 },
  ],
  ['a commit of an unknown transaction', { action: 'database.commitTransaction', transactionId: 'nope' }],
])('%s gets an error in the platform shape and the emulator keeps serving', async (_name, body) => {
  const r = await rawAdmin(emu, body);
  expect(typeof r.code).toBe('string');
  expect(typeof r.message).toBe('string');
  expect((await db.collection('people').count()).total).toBeGreaterThan(0);
});

test('an oversize request body is refused naming the limit', async () => {
  const r = await rawAdmin(emu, {
    action: 'database.insertDocument',
    collectionName: 'people',
    data: ['x'.repeat(70 * 1024)],
  });
  expect(r).toMatchObject({ code: 'EXCEED_REQUEST_LIMIT', message: expect.stringContaining('65536 bytes') });
});
