import { expiringSoon, planExpire } from '../../core/ledger';
import { localDate } from '../../core/time';
import type { SystemContext } from '../kit/context';
import type { Tx } from '../db/transaction';
import { inTransaction } from '../db/transaction';
import { emit } from '../db/events';
import { once } from '../db/idempotency';
import { debit, findRow, openAccount, saveAccount } from './account';
import { valueRules, type ValueRules } from './brand';

/**
 * Expires every lot of the member that is due at `now`, one `expire` row per lot (key
 * `expire:<lotId>`). A lot's remaining becomes 0, so a second run — or a run after a clock jump
 * of a year — finds nothing more to expire: each point expires once.
 */
export async function expireMember(tx: Tx, memberId: string, now: Date): Promise<number> {
  const acc = await openAccount(tx, memberId);
  const plan = planExpire(acc.lots, now);
  let total = 0;
  for (const c of plan.expired) {
    const key = `expire:${c.lotId}`;
    if (await findRow(tx, key)) continue;
    await debit(tx, acc, {
      kind: 'expire',
      key,
      amount: -c.amount,
      consumed: [c],
      expiry: true,
      source: 'job',
      reason: 'expired',
      now,
    });
    total += c.amount;
  }
  if (total > 0) {
    await saveAccount(tx, acc);
    await emit(tx, {
      type: 'points.expired',
      memberId: acc.member._id,
      at: now,
      data: { points: total, balance: acc.balance },
    });
  }
  return total;
}

const PAGE = 1000;
const MAX_ROUNDS = 200;

interface LotRef {
  _id: string;
  memberId: string;
}

/** The nightly job: expire what is due, then remind members whose points expire soon (once per member and expiry day). */
export async function runPointsExpiry(
  ctx: SystemContext,
  rules: ValueRules = valueRules(),
): Promise<{ members: number; points: number; failed: number; reminded: number }> {
  const now = ctx.now();
  const _ = ctx.db.command;
  const done = new Set<string>();
  const failed = new Set<string>();
  let points = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const due = (await ctx.db
      .collection('points_lots')
      .where({ remaining: _.gt(0), expiresAt: _.lte(now) })
      .field({ memberId: true })
      .limit(PAGE)
      .get()) as unknown as { data: LotRef[] };
    const members = [...new Set(due.data.map((l) => l.memberId))].filter((m) => !failed.has(m) && !done.has(m));
    if (members.length === 0) break;
    for (const memberId of members) {
      try {
        points += await inTransaction(ctx.db, (tx) => expireMember(tx, memberId, now));
        done.add(memberId);
      } catch (e) {
        failed.add(memberId);
        ctx.log.error('points expiry failed', { memberId, error: (e as Error).message });
      }
    }
  }
  const reminded = await remindExpiringSoon(ctx, rules, now);
  ctx.log.info('points expiry', { members: done.size, points, failed: failed.size, reminded });
  return { members: done.size, points, failed: failed.size, reminded };
}

/** `points.expiring_soon` events (reminder journeys send them), once per member and earliest expiry day. */
async function remindExpiringSoon(ctx: SystemContext, rules: ValueRules, now: Date): Promise<number> {
  const _ = ctx.db.command;
  const until = new Date(now.getTime() + rules.expiringSoonDays * 86_400_000);
  const seen = new Set<string>();
  let reminded = 0;
  let after = '';
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const page = (await ctx.db
      .collection('points_lots')
      .where({ remaining: _.gt(0), expiresAt: _.gt(now).and(_.lte(until)), _id: _.gt(after) })
      .orderBy('_id', 'asc')
      .field({ memberId: true })
      .limit(PAGE)
      .get()) as unknown as { data: LotRef[] };
    for (const lot of page.data) {
      if (seen.has(lot.memberId)) continue;
      seen.add(lot.memberId);
      try {
        const sent = await inTransaction(ctx.db, async (tx) => {
          const acc = await openAccount(tx, lot.memberId);
          const soon = expiringSoon(acc.lots, now, rules.expiringSoonDays);
          if (!soon.earliest) return false;
          const key = `points.expiring_soon:${acc.member._id}:${localDate(soon.earliest, rules.timeZone)}`;
          const r = await once(tx, key, now, async () => {
            await emit(tx, {
              type: 'points.expiring_soon',
              memberId: acc.member._id,
              at: now,
              data: { points: soon.total, expiresAt: soon.earliest!.toISOString() },
            });
            return { sent: true };
          });
          return !r.replayed;
        });
        if (sent) reminded++;
      } catch (e) {
        ctx.log.error('expiring-soon reminder failed', { memberId: lot.memberId, error: (e as Error).message });
      }
    }
    if (page.data.length < PAGE) break;
    after = page.data[page.data.length - 1]!._id;
  }
  return reminded;
}
