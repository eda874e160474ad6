import type { Emulator } from '../../../emulator/emulator';
import { bareEmulator } from '../../support/emulator';
import { connectSdk, rawAdmin, type Sdk } from '../../support/sdk';

/** Emulator conformance, writes: every update command and write form the SDK sends, against Mongo's results. */
let emu: Emulator;
let db: Sdk['db'], _: Sdk['_'];

beforeAll(async () => {
  emu = await bareEmulator();
  ({ db, _ } = connectSdk(emu));
  await db.createCollection('docs');
});
afterAll(() => emu.close());

const fresh = async (id: string, data: Record<string, unknown>) => {
  await db.collection('docs').doc(id).set({ data });
  return db.collection('docs').doc(id);
};
const read = async (id: string) => (await db.collection('docs').doc(id).get()).data;

test('add assigns ids, keeps given ones and refuses a duplicate _id with E11000', async () => {
  const a = await db.collection('docs').add({ data: { n: 1 } });
  expect(a._id).toMatch(/^[0-9a-f]{32}$/);
  const b = await db.collection('docs').add({ data: [{ _id: 'given-1', n: 2 }, { n: 3 }] });
  expect(b._ids[0]).toBe('given-1');
  await expect(db.collection('docs').add({ data: { _id: 'given-1' } })).rejects.toMatchObject({
    errCode: -502001,
    errMsg: expect.stringContaining('E11000'),
  });
});

test('numeric update commands: inc, mul, min, max', async () => {
  const ref = await fresh('num', { a: 10, b: 2.5, c: 5, d: 5 });
  await ref.update({ data: { a: _.inc(-3), b: _.mul(2), c: _.min(1), d: _.max(9) } });
  expect(await read('num')).toEqual({ _id: 'num', a: 7, b: 5, c: 1, d: 9 });
});

test('field commands: set replaces an object, plain objects merge by dot path, remove, rename', async () => {
  const ref = await fresh('fields', { meta: { p: 1, q: { r: 2 } }, nested: { a: { b: 1 } }, gone: true, old: 'x' });
  await ref.update({
    data: { meta: _.set({ p: 9 }), nested: { a: { c: 2 } }, gone: _.remove(), old: _.rename('neu') },
  });
  expect(await read('fields')).toEqual({ _id: 'fields', meta: { p: 9 }, nested: { a: { b: 1, c: 2 } }, neu: 'x' });
});

test('array commands: push (each, position, slice), unshift, pop, shift, pull, pullAll, addToSet', async () => {
  const ref = await fresh('arr', { a: [1, 2], b: [1, 2, 3], c: ['x', 'y', 'x'], d: [1, 2, 3, 4], e: ['k'] });
  await ref.update({ data: { a: _.push([3, 4]), e: _.addToSet('k') } });
  await ref.update({
    data: { a: _.push({ each: [0], position: 0, slice: 4 }), b: _.pop(), c: _.pull('x'), d: _.pullAll([2, 4]) },
  });
  await ref.update({ data: { b: _.shift(), e: _.addToSet({ $each: ['k', 'm'] }) } });
  await ref.update({ data: { b: _.unshift(0), d: _.pull(_.gt(2)) } });
  expect(await read('arr')).toEqual({ _id: 'arr', a: [0, 1, 2, 3], b: [0, 2], c: ['y'], d: [1], e: ['k', 'm'] });
});

test('doc().set() replaces the whole document, and creates it when missing', async () => {
  await fresh('setme', { a: 1, b: 2 });
  const replaced = await db
    .collection('docs')
    .doc('setme')
    .set({ data: { c: 3 } });
  expect(replaced.stats).toEqual({ updated: 1, created: 0 });
  expect(await read('setme')).toEqual({ _id: 'setme', c: 3 });
  const created = await db
    .collection('docs')
    .doc('new-one')
    .set({ data: { z: 1 } });
  expect(created.stats).toEqual({ updated: 0, created: 1 });
});

test('where().update() changes every match; doc().update() of a missing doc changes nothing', async () => {
  await db.createCollection('batch');
  await db.collection('batch').add({
    data: [
      { _id: 'a', g: 1 },
      { _id: 'b', g: 1 },
      { _id: 'c', g: 2 },
    ],
  });
  const r = await db
    .collection('batch')
    .where({ g: 1 })
    .update({ data: { flagged: true } });
  expect(r.stats.updated).toBe(2);
  expect((await db.collection('batch').where({ flagged: true }).count()).total).toBe(2);
  expect(
    (
      await db
        .collection('batch')
        .doc('zz')
        .update({ data: { x: 1 } })
    ).stats.updated,
  ).toBe(0);
});

test('remove: one document, then every match of a where', async () => {
  await db.createCollection('rm');
  await db.collection('rm').add({
    data: [
      { _id: 'a', k: 1 },
      { _id: 'b', k: 1 },
      { _id: 'c', k: 2 },
    ],
  });
  expect((await db.collection('rm').doc('c').remove()).stats.removed).toBe(1);
  expect((await db.collection('rm').where({ k: 1 }).remove()).stats.removed).toBe(2);
  expect((await db.collection('rm').count()).total).toBe(0);
});

test('db.serverDate() is the emulator clock, with its offset', async () => {
  await fetch(`${emu.url}/clock`, { method: 'POST', body: JSON.stringify({ set: '2030-06-01T00:00:00Z' }) });
  await fresh('dated', { at: db.serverDate(), later: db.serverDate({ offset: 60_000 }) });
  const doc = await read('dated');
  expect(Math.abs(doc.at.getTime() - Date.parse('2030-06-01T00:00:00Z'))).toBeLessThan(5000);
  expect(doc.later.getTime() - doc.at.getTime()).toBe(60_000);
});

test('an _id change and an invalid update are refused; nothing changes', async () => {
  await fresh('guard', { n: 1 });
  const bad = await rawAdmin(emu, {
    action: 'database.modifyDocument',
    collectionName: 'docs',
    queryType: 'DOC',
    query: '{"_id":"guard"}',
    data: '{"$inc":{"n":"x"}}',
    multi: false,
    merge: true,
    upsert: false,
  });
  expect(bad.code).toBe('INVALID_PARAM');
  expect(await read('guard')).toEqual({ _id: 'guard', n: 1 });
});

test('dates stay dates through every update form, in and out of transactions', async () => {
  await fresh('dates', {
    at: new Date('2026-01-01T00:00:00Z'),
    hist: [{ at: new Date(5) }],
    slot: { start: new Date(7) },
  });
  const ref = db.collection('docs').doc('dates');
  await ref.update({ data: { hist: _.push({ at: new Date(9) }), status: 'x' } });
  await ref.update({ data: { slot: _.set({ start: new Date(11) }) } });
  await ref.update({ data: { slot: { end: new Date(13) } } });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's typings give the transaction handle as any
  await db.runTransaction(async (t: any) =>
    t
      .collection('docs')
      .doc('dates')
      .update({ data: { extra: { when: new Date(20) } } }),
  );
  const d = await read('dates');
  expect(d).toEqual({
    _id: 'dates',
    at: new Date('2026-01-01T00:00:00Z'),
    hist: [{ at: new Date(5) }, { at: new Date(9) }],
    slot: { start: new Date(11), end: new Date(13) },
    status: 'x',
    extra: { when: new Date(20) },
  });
  expect(d.hist[1].at).toBeInstanceOf(Date);
});

test('updated counts the documents matched, also those the update leaves as they were', async () => {
  await db.createCollection('matched');
  await db.collection('matched').add({
    data: [
      { _id: 'm1', k: 'a', v: 1 },
      { _id: 'm2', k: 'a', v: 2 },
      { _id: 'm3', k: 'b', v: 1 },
    ],
  });
  expect(
    (
      await db
        .collection('matched')
        .doc('m1')
        .update({ data: { v: 1 } })
    ).stats.updated,
  ).toBe(1);
  expect(
    (
      await db
        .collection('matched')
        .where({ k: 'a' })
        .update({ data: { v: 2 } })
    ).stats.updated,
  ).toBe(2);
  expect(
    (
      await db
        .collection('matched')
        .doc('m3')
        .set({ data: { k: 'b', v: 1 } })
    ).stats.updated,
  ).toBe(1);
});

test('modifyAndReturnDoc returns the document it updated, even when the query no longer finds it', async () => {
  await db.createCollection('stock');
  await db.collection('stock').add({
    data: [
      { _id: 's1', left: 1, n: 1 },
      { _id: 's2', left: 5, n: 2 },
    ],
  });
  const body = {
    action: 'database.modifyAndReturnDoc',
    collectionName: 'stock',
    queryType: 'WHERE',
    multi: false,
    merge: true,
    upsert: false,
  };
  const r = await rawAdmin(emu, { ...body, query: '{"left":{"$gt":0},"n":1}', data: '{"$inc":{"left":-1}}' });
  expect(r.data).toEqual({ updated: 1, doc: expect.any(String) });
  expect(JSON.parse((r.data as { doc: string }).doc)).toMatchObject({ _id: 's1', left: 0 });
  const none = await rawAdmin(emu, { ...body, query: '{"left":{"$gt":9}}', data: '{"$inc":{"left":-1}}' });
  expect(none.data).toEqual({ updated: 0, doc: null });
});

test('field names starting with $ are refused in added, set and updated data; nothing is written', async () => {
  const refused = { errCode: -502001, errMsg: expect.stringContaining('dollar ($) prefixed field') };
  const raw = await rawAdmin(emu, {
    action: 'database.insertDocument',
    collectionName: 'docs',
    data: ['{"_id":"dollar","$bad":1}'],
  });
  expect(raw).toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
  await expect(db.collection('docs').add({ data: { _id: 'dollar', meta: { $x: 1 } } })).rejects.toMatchObject(refused);
  await expect(
    db
      .collection('docs')
      .doc('dollar')
      .set({ data: { $x: 1 } }),
  ).rejects.toMatchObject(refused);
  await fresh('dollar-upd', { n: 1 });
  const ref = db.collection('docs').doc('dollar-upd');
  await expect(ref.update({ data: { meta: _.set({ $x: 1 }) } })).rejects.toMatchObject(refused);
  await expect(ref.update({ data: { list: _.push([{ $x: 1 }]) } })).rejects.toMatchObject(refused);
  await ref.update({ data: { list: _.push({ each: [1], position: 0 }) } });
  expect(await read('dollar-upd')).toEqual({ _id: 'dollar-upd', n: 1, list: [1] });
  expect((await db.collection('docs').where({ _id: 'dollar' }).count()).total).toBe(0);
});
