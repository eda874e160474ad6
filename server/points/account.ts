import { applyConsumption, openLot, type Consumption, type LedgerKind, type Lot } from '../../core/ledger';
import type { Tx } from '../db/transaction';
import { clean } from '../db/documents';
import type { MemberDoc } from '../members/documents';
import { database, type Database } from '../runtime/cloud';
import { existingMemberTx } from '../members/resolve';
import { lotIdFor, toLot, type LedgerDoc, type LotDoc } from './documents';
import { updateMemberTx } from '../members/store';

/**
 * A member's points inside one transaction: the member document (balance cache, open lot ids,
 * tier bookkeeping) and its open lots, all read with `doc().get()` so they are locked until commit.
 * Movements change it in memory and write their row and lots; `saveAccount` writes the member once.
 */
export interface Account {
  member: MemberDoc;
  lots: Lot[];
  balance: number;
}

/** A transaction that has read its members' open lots already (order sync's grouped settlement) lists them itself. */
export interface OpenLotsReader {
  openLotIdsOf(memberId: string): string[] | undefined;
}

export async function openAccount(tx: Tx, memberId: string, db: Database = database()): Promise<Account> {
  const member = await existingMemberTx(tx, memberId);
  const lots: Lot[] = [];
  for (const id of await openLotIds(member, db, (tx as Partial<OpenLotsReader>).openLotIdsOf?.(member._id))) {
    const d = (await tx.collection('points_lots').doc(id).get()).data as LotDoc | null;
    if (d) lots.push(toLot({ ...d, _id: id }));
  }
  return { member, lots, balance: member.points ?? 0 };
}

/**
 * The member's open lots: those its document lists, plus lots of the member with points left that
 * it does not list. A merge moves the loser's lots to the
 * survivor by their memberId; listing them here keeps them spendable and expirable. The query runs
 * after the member document is locked, so no credit of this member can be in flight.
 */
async function openLotIds(member: MemberDoc, db: Database, known?: string[]): Promise<string[]> {
  const listed = member.openLots ?? [];
  if (known) return [...new Set([...listed, ...known])];
  const found = (await db
    .collection('points_lots')
    .where({ memberId: member._id, remaining: db.command.gt(0) })
    .field({ _id: true })
    .limit(1000)
    .get()) as unknown as { data: { _id: string }[] };
  return [...new Set([...listed, ...found.data.map((d) => d._id)])];
}

export async function findRow(tx: Tx, key: string): Promise<LedgerDoc | null> {
  const d = (await tx.collection('points_ledger').doc(key).get()).data as LedgerDoc | null;
  return d ? { ...d, _id: key } : null;
}

export interface Movement {
  key: string;
  source: string;
  reason?: string;
  orderId?: string;
  by?: string;
  now: Date;
}

/**
 * Creates a document inside a transaction. `add` with an explicit `_id` rather than `doc().set()`:
 * through wx-server-sdk a transactional `set` stores Dates as strings (observed on the emulator's
 * wire), which breaks date queries such as the expiry job's; `add` and `update` keep them Dates.
 * A duplicate id fails the transaction, which is what a create wants.
 */
export async function insert(tx: Tx, coll: string, id: string, data: Record<string, unknown>): Promise<void> {
  await tx.collection(coll).add({ data: { ...clean(data), _id: id } });
}

/** The ledger row of a movement, written with the balance it leaves. */
async function writeRow(
  tx: Tx,
  acc: Account,
  m: Movement & { kind: LedgerKind },
  amount: number,
  rest: Partial<LedgerDoc>,
): Promise<LedgerDoc> {
  const { key, now: at, source, reason, orderId, by, kind } = m;
  const base = { _id: key, idempotencyKey: key, memberId: acc.member._id, kind, amount, at, source };
  const row: LedgerDoc = { ...base, reason, orderId, by, ...rest, balanceAfter: acc.balance };
  await insert(tx, 'points_ledger', key, { ...row });
  return row;
}

/** A crediting (earn or positive adjust): opens a lot, first paying off any debt a refund left. */
export async function credit(
  tx: Tx,
  acc: Account,
  m: Movement & { kind: 'earn' | 'adjust'; points: number; expiresAt: Date },
): Promise<LedgerDoc> {
  const { lot, settledDebt } = openLot(
    { lotId: lotIdFor(m.key), points: m.points, earnedAt: m.now, expiresAt: m.expiresAt },
    acc.balance,
  );
  const lotDoc: Omit<LotDoc, '_id'> = {
    memberId: acc.member._id,
    amount: lot.amount,
    remaining: lot.remaining,
    expired: 0,
    earnedAt: lot.earnedAt,
    expiresAt: lot.expiresAt,
    source: m.source,
    ...(m.orderId ? { orderId: m.orderId } : {}),
  };
  await insert(tx, 'points_lots', lot.lotId, lotDoc);
  if (lot.remaining > 0) acc.lots.push(lot);
  acc.balance += m.points;
  return writeRow(tx, acc, m, m.points, { lotId: lot.lotId, settledDebt, expiresAt: lot.expiresAt });
}

/** A debiting (spend, expire, reverse, negative adjust) of the lots a core plan chose. */
export async function debit(
  tx: Tx,
  acc: Account,
  m: Movement & {
    kind: Exclude<LedgerKind, 'earn'>;
    amount: number;
    consumed: Consumption[];
    forgiven?: number;
    expiry?: boolean;
    extraLots?: Lot[];
  },
): Promise<LedgerDoc> {
  const pool = [...acc.lots, ...(m.extraLots ?? []).filter((x) => !acc.lots.some((l) => l.lotId === x.lotId))];
  const after = applyConsumption(pool, m.consumed, { expiry: m.expiry });
  for (const c of new Set(m.consumed.map((c) => c.lotId))) {
    const lot = after.find((l) => l.lotId === c);
    if (lot)
      await tx
        .collection('points_lots')
        .doc(c)
        .update({ data: { remaining: lot.remaining, expired: lot.expired } });
  }
  acc.lots = after.filter((l) => l.remaining > 0);
  acc.balance += m.amount;
  return writeRow(tx, acc, m, m.amount, { consumed: m.consumed, forgiven: m.forgiven });
}

/** Writes the member's balance cache, open lots and tier bookkeeping: once, at the end of the transaction's work. */
export async function saveAccount(tx: Tx, acc: Account): Promise<void> {
  const m = acc.member;
  await updateMemberTx(
    tx,
    m._id,
    clean({
      points: acc.balance,
      openLots: acc.lots.map((l) => l.lotId),
      tier: m.tier,
      tierSince: m.tierSince,
      tierReviewedAt: m.tierReviewedAt,
      tierDays: m.tierDays,
    }),
  );
  m.points = acc.balance;
  m.openLots = acc.lots.map((l) => l.lotId);
}
