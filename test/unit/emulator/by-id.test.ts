import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Query } from 'mingo';
import { DocumentStore } from '../../../emulator/db/store';
import { committedView, find, planModify, planRemove } from '../../../emulator/db/engine';

/**
 * `{ _id: <id> }` (every document get, update and remove by id) is matched without building a mingo
 * query: it must answer exactly what mingo answers, a number and a string of the same digits apart.
 */
let dir: string;
let store: DocumentStore;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'by-id-'));
  store = new DocumentStore(join(dir, 'db.sqlite'));
  store.apply([
    { coll: 'c', id: 'a', doc: { _id: 'a', n: 1, tags: ['x'] } },
    { coll: 'c', id: '7', doc: { _id: '7', n: 2 } },
    { coll: 'c', id: '8', doc: { _id: 8, n: 3 } },
  ]);
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const all = () => [...committedView(store).candidates('c', {}).docs];

test('a query by id finds what mingo finds, number and string ids apart', () => {
  for (const id of ['a', '7', 7, 8, '8', 'missing']) {
    const mingo = all()
      .filter((d) => new Query({ _id: id }).test(d))
      .map((d) => d._id);
    expect(find(committedView(store), 'c', { _id: id }, { limit: 10 }).map((d) => d._id)).toEqual(mingo);
  }
});

test('a query by id still applies projection, offset and limit', () => {
  expect(find(committedView(store), 'c', { _id: 'a' }, { limit: 10, projection: { n: 1 } })).toEqual([
    { _id: 'a', n: 1 },
  ]);
  expect(find(committedView(store), 'c', { _id: 'a' }, { limit: 10, offset: 1 })).toEqual([]);
});

test('updates and removes by id touch that document only', () => {
  expect(
    planModify(
      committedView(store),
      'c',
      { _id: '7' },
      { n: 9 },
      { multi: false, merge: true, upsert: false },
    ).writes.map((w) => w.doc),
  ).toEqual([{ _id: '7', n: 9 }]);
  expect(
    planModify(committedView(store), 'c', { _id: 7 }, { n: 9 }, { multi: false, merge: true, upsert: false }).writes,
  ).toEqual([]);
  expect(planRemove(committedView(store), 'c', { _id: 8 }, false).map((w) => w.id)).toEqual(['8']);
  expect(planRemove(committedView(store), 'c', { _id: '8' }, false)).toEqual([]);
});
