import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentStore } from '../../../emulator/db/store';
import { committedView, find } from '../../../emulator/db/engine';
import { plan, rangeIds, type Plan } from '../../../emulator/db/planner';
import { keyOf } from '../../../emulator/db/indexes';

/**
 * The planner uses a compound index when the query fixes its leading fields (as Mongo uses an index
 * prefix): a member's orders by `memberId` with an order on `createdAt` must not read the collection.
 */
let dir: string;
let store: DocumentStore;
const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n));

const idsOfPlan = (p: Plan): string[] =>
  p.kind === 'ids' ? p.ids : p.kind === 'range' ? [...rangeIds(store, 'orders', p)] : [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'planner-'));
  store = new DocumentStore(join(dir, 'db.sqlite'));
  store.declareIndex('orders', { name: 'memberId_createdAt', fields: ['memberId', 'createdAt'] });
  store.declareIndex('orders', { name: 'status', fields: ['status'] });
  const writes = Array.from({ length: 300 }, (_v, i) => ({
    coll: 'orders',
    id: `o${String(i).padStart(4, '0')}`,
    doc: {
      _id: `o${String(i).padStart(4, '0')}`,
      memberId: `m${i % 7}`,
      createdAt: day(i % 40),
      status: i % 3 ? 'paid' : 'created',
      ...(i % 11 === 0 ? {} : { store: 's1' }),
    },
  }));
  store.apply(writes);
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a query fixing the leading field of a compound index uses it; fixing every field is an exact lookup', () => {
  const prefix = plan(store, 'orders', { memberId: 'm3' });
  expect(prefix).toMatchObject({ kind: 'range', via: 'memberId_createdAt (prefix)' });
  expect(idsOfPlan(prefix).length).toBe(Array.from({ length: 300 }, (_v, i) => i).filter((i) => i % 7 === 3).length);
  expect(plan(store, 'orders', { memberId: 'm3', createdAt: day(3) })).toMatchObject({
    kind: 'range',
    via: 'memberId_createdAt',
  });
  expect(plan(store, 'orders', { status: 'paid', memberId: 'm1' })).toMatchObject({ via: 'status' }); // a whole index beats a prefix
  expect(plan(store, 'orders', { memberId: { $in: ['m1', 'm2'] } })).toMatchObject({
    kind: 'ids',
    via: 'memberId_createdAt (prefix)',
  });
  expect(plan(store, 'orders', { createdAt: day(3) })).toMatchObject({ kind: 'scan' }); // not a leading field
  // a prefix value that is a prefix of another value's text must not pick up the other ("m1" vs "m10")
  store.apply([{ coll: 'orders', id: 'x1', doc: { _id: 'x1', memberId: 'm10', createdAt: day(1), status: 'paid' } }]);
  expect(idsOfPlan(plan(store, 'orders', { memberId: 'm1' }))).not.toContain('x1');
  store.apply([{ coll: 'orders', id: 'x1', doc: null }]);
});

test('whatever the plan, a query answers exactly what filtering every document answers', () => {
  const all = find(committedView(store), 'orders', {}, { limit: 10_000 });
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 8 }),
      fc.constantFrom('paid', 'created', undefined),
      fc.integer({ min: 1, max: 50 }),
      fc.boolean(),
      (m, status, limit, desc) => {
        const query: Record<string, unknown> = { memberId: `m${m}`, ...(status ? { status } : {}) };
        const got = find(committedView(store), 'orders', query, { order: { createdAt: desc ? -1 : 1, _id: 1 }, limit });
        const expected = all
          .filter((d) => d.memberId === query.memberId && (!status || d.status === status))
          .sort(
            (a, b) =>
              ((a.createdAt as Date).getTime() - (b.createdAt as Date).getTime()) * (desc ? -1 : 1) ||
              String(a._id).localeCompare(String(b._id)),
          )
          .slice(0, limit);
        expect(got.map((d) => d._id)).toEqual(expected.map((d) => d._id));
      },
    ),
    { numRuns: 60 },
  );
});

test('a compound index over an array field holds one key per element, so its prefix finds documents by any element', () => {
  store.declareIndex('waiting', { name: 'refIds_memberId', fields: ['refIds', 'memberId'] });
  store.apply([
    { coll: 'waiting', id: 'w1', doc: { _id: 'w1', refIds: ['phone:1', 'external:pos:C-7'], memberId: null } },
    { coll: 'waiting', id: 'w2', doc: { _id: 'w2', refIds: ['phone:2'], memberId: 'm2' } },
  ]);
  const byElement = plan(store, 'waiting', { refIds: { $in: ['external:pos:C-7', 'phone:2'] }, memberId: null });
  expect(byElement).toEqual({ kind: 'ids', ids: ['w1', 'w2'], via: 'refIds_memberId (prefix)' });
  expect(
    find(
      committedView(store),
      'waiting',
      { refIds: { $in: ['external:pos:C-7', 'phone:2'] }, memberId: null },
      { limit: 10 },
    ).map((d) => d._id),
  ).toEqual(['w1']);
  expect(plan(store, 'waiting', { refIds: 'phone:2', memberId: 'm2' })).toEqual({
    kind: 'ids',
    ids: ['w2'],
    via: 'refIds_memberId',
  });
});

test('indexes built by an older key format are dropped on open, and built again when declared', () => {
  const file = join(dir, 'old.sqlite');
  const old = new DocumentStore(file);
  old.apply([{ coll: 'c', id: 'a', doc: { _id: 'a', tags: ['x', 'y'], n: 1 } }]);
  // as a store of the previous format left it: keys of the whole array, spec without `format`
  (old as unknown as { sql: { prepare(s: string): { run(...a: unknown[]): void } } }).sql
    .prepare('INSERT INTO index_specs(coll, name, spec) VALUES (?, ?, ?)')
    .run('c', 'tags_n', JSON.stringify({ name: 'tags_n', fields: ['tags', 'n'] }));
  (old as unknown as { sql: { prepare(s: string): { run(...a: unknown[]): void } } }).sql
    .prepare('INSERT INTO idx(coll, name, key, id) VALUES (?, ?, ?, ?)')
    .run('c', 'tags_n', '[["x","y"],1]', 'a');
  old.close();
  const reopened = new DocumentStore(file);
  expect(reopened.specsOf('c')).toEqual([]); // not used as it was: its keys are of another format
  reopened.declareIndex('c', { name: 'tags_n', fields: ['tags', 'n'] });
  expect(reopened.lookup('c', 'tags_n', keyOf(['y', 1]))).toEqual(['a']);
  expect(reopened.lookup('c', 'tags_n', '[["x","y"],1]')).toEqual([]);
  reopened.close();
});
