import { randomInt } from 'node:crypto';
import { splitStock, stockFigures, stockShardId, STOCK_SHARDS } from '../../core/coupons';
import type { Database } from '../runtime/cloud';
import { inTransaction, type Tx } from '../db/transaction';
import { insert } from '../points/account';
import { markedSoldOut, readTemplate, readTemplateTx, type StoredTemplate } from './templates';

/**
 * `coupon_stock/<templateId>:<k>`: one shard of a template's stock. A claim takes a unit from one
 * shard in its transaction (locking that shard only), so claims of one template run side by side.
 * `left` is null for unlimited stock (the shards then only count what was issued).
 */
export interface StockShardDoc {
  _id: string;
  templateId: string;
  k: number;
  left: number | null;
  issued: number;
}

/** What an issue starts from: the template as read (no lock) and, for limited stock, the shards as committed. */
export interface StockSnapshot {
  stored: StoredTemplate;
  /** shards seen with units left (limited stock, not marked sold out) */
  withStock: StockShardDoc[];
  left: number | null;
}

/** The shards of a template that has none yet: what is not issued, split evenly. */
export function initialShards(
  templateId: string,
  totalStock: number | null,
  issuedBase: number,
  shards = STOCK_SHARDS,
): StockShardDoc[] {
  const lefts = totalStock === null ? null : splitStock(Math.max(0, totalStock - issuedBase), shards);
  return Array.from({ length: shards }, (_v, k) => ({
    _id: stockShardId(templateId, k),
    templateId,
    k,
    left: lefts ? (lefts[k] as number) : null,
    issued: 0,
  }));
}

/** The template's fields that go with freshly made shards. */
export const shardedFields = (shards = STOCK_SHARDS) => ({ stockVersion: 0, stockShards: shards });

export async function insertShards(tx: Tx, shards: StockShardDoc[]): Promise<void> {
  for (const { _id, ...rest } of shards) await insert(tx, 'coupon_stock', _id, rest);
}

/**
 * The template locked, with its shards read locked, for staff changes and for making the shards of
 * a limited template that has none yet (stored before sharding, or seeded without them): then what
 * its own counter has not issued is split over new shards, once, under the template's lock.
 */
export async function lockStock(
  tx: Tx,
  templateId: string,
): Promise<{ stored: StoredTemplate; shards: StockShardDoc[] }> {
  const stored = await readTemplateTx(tx, templateId);
  const found: (StockShardDoc | null)[] = [];
  for (let k = 0; k < stored.shards; k++) {
    const id = stockShardId(templateId, k);
    const d = (await tx.collection('coupon_stock').doc(id).get()).data as Omit<StockShardDoc, '_id'> | null;
    found.push(d ? { ...d, _id: id } : null);
  }
  if (found.every((d) => d === null)) {
    const shards = initialShards(templateId, stored.template.totalStock, stored.issuedBase, stored.shards);
    if (stored.template.totalStock !== null) await insertShards(tx, shards);
    const version = stored.stockVersion ?? 0;
    if (stored.stockVersion === null)
      await tx
        .collection('coupon_templates')
        .doc(templateId)
        .update({ data: { stockVersion: version, stockShards: stored.shards } });
    return { stored: { ...stored, stockVersion: version }, shards };
  }
  // an unlimited template's shards are made as issues reach them: a missing one has issued nothing
  const empty = (k: number): StockShardDoc => ({
    _id: stockShardId(templateId, k),
    templateId,
    k,
    left: stored.template.totalStock === null ? null : 0,
    issued: 0,
  });
  return { stored, shards: found.map((d, k) => d ?? empty(k)) };
}

/** Makes the shards of a limited template that has none (its own small transaction; the template lock makes it once). */
async function ensureStock(db: Database, templateId: string): Promise<StoredTemplate> {
  await inTransaction(db, async (tx) => void (await lockStock(tx, templateId)));
  return readTemplate(db, templateId);
}

/** Committed shards of a template: one query. */
export async function readShards(db: Database, templateId: string): Promise<StockShardDoc[]> {
  const r = (await db.collection('coupon_stock').where({ templateId }).limit(1000).get()) as unknown as {
    data: StockShardDoc[];
  };
  return r.data;
}

/**
 * Where an issue can take a unit from, read without locks. A template marked sold out (and not
 * restocked since) costs no shard read; unlimited stock needs none either.
 */
export async function stockSnapshot(db: Database, first: StoredTemplate): Promise<StockSnapshot> {
  const templateId = first.template.templateId;
  if (first.template.totalStock === null) return { stored: first, withStock: [], left: null };
  if (markedSoldOut(first)) return { stored: first, withStock: [], left: 0 };
  let stored = first;
  let shards = await readShards(db, templateId);
  if (shards.length === 0) {
    stored = await ensureStock(db, templateId);
    shards = await readShards(db, templateId);
  }
  return { stored, withStock: shards.filter((s) => (s.left ?? 0) > 0), left: figuresOf(stored, shards).left };
}

/**
 * Notes that every shard was empty at `stockVersion`, so later claims skip the shard read. Only
 * while the version is unchanged: a staff stock change bumps it (and a change committing first
 * makes this write match nothing).
 */
export async function markSoldOut(db: Database, templateId: string, stockVersion: number): Promise<void> {
  await db
    .collection('coupon_templates')
    .where({ _id: templateId, stockVersion })
    .update({ data: { soldOutVersion: stockVersion } });
}

function shuffled<T>(xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** A unit of stock found in the caller's transaction, and the write that takes it (sent by the caller). */
export interface Unit {
  take(): Promise<unknown>;
}

/**
 * Finds one unit in the caller's transaction. Limited stock: the shards the snapshot saw with units
 * left, in random order (so concurrent claims spread), each read at the transaction's snapshot until
 * one still has a unit; null when none has (sold out, short of a staff restock racing this claim).
 * Unlimited: a random shard counts it. Taking it writes that shard, which conflicts with any other
 * transaction taking from it, so a unit is never taken twice.
 */
export async function findUnit(tx: Tx, snap: StockSnapshot): Promise<Unit | null> {
  const { template, shards } = snap.stored;
  const templateId = template.templateId;
  if (template.totalStock === null) {
    const k = randomInt(shards);
    const id = stockShardId(templateId, k);
    const d = (await tx.collection('coupon_stock').doc(id).get()).data as StockShardDoc | null;
    return {
      take: () =>
        d
          ? tx
              .collection('coupon_stock')
              .doc(id)
              .update({ data: { issued: d.issued + 1 } })
          : insert(tx, 'coupon_stock', id, { templateId, k, left: null, issued: 1 }),
    };
  }
  for (const candidate of shuffled(snap.withStock)) {
    const ref = tx.collection('coupon_stock').doc(candidate._id);
    const d = (await ref.get()).data as StockShardDoc | null;
    if (!d || (d.left ?? 0) <= 0) continue;
    return { take: () => ref.update({ data: { left: (d.left as number) - 1, issued: d.issued + 1 } }) };
  }
  return null;
}

/** Claimed and left per template, for lists: one aggregation over the shards. */
export async function stockFiguresOf(
  db: Database,
  stored: readonly StoredTemplate[],
): Promise<Map<string, { claimed: number; left: number | null }>> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK types a query's get() as string | void | IQueryResult
  const d = db as any;
  const sums = new Map<string, { left: number; issued: number }>();
  if (stored.length) {
    const ids = stored.map((s) => s.template.templateId);
    const r = (await d
      .collection('coupon_stock')
      .aggregate()
      .match({ templateId: d.command.in(ids) })
      .group({ _id: '$templateId', left: d.command.aggregate.sum('$left'), issued: d.command.aggregate.sum('$issued') })
      .limit(1000)
      .end()) as { list: { _id: string; left: number | null; issued: number }[] };
    for (const row of r.list) sums.set(row._id, { left: row.left ?? 0, issued: row.issued ?? 0 });
  }
  return new Map(
    stored.map((s) => {
      const sum = sums.get(s.template.templateId);
      return [s.template.templateId, figuresOf(s, sum ? [sum] : [])];
    }),
  );
}

/** Claimed and left of a template from its shards; with none yet, its own counter is all there is. */
export function figuresOf(
  s: StoredTemplate,
  shards: readonly { left: number | null; issued: number }[],
): { claimed: number; left: number | null } {
  const { totalStock } = s.template;
  if (shards.length === 0)
    return { claimed: s.issuedBase, left: totalStock === null ? null : Math.max(0, totalStock - s.issuedBase) };
  return stockFigures({ totalStock, issuedBase: s.issuedBase }, shards);
}
