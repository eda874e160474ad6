import type { z } from 'zod';
import type { history as historyContract, summary as summaryContract } from '../../core/contracts/points';
import { expiringSoon, spendablePoints, type Lot } from '../../core/ledger';
import { nextTierProgress } from '../../core/tiers';
import type { ActionContext } from '../kit/context';
import { readDoc } from '../db/documents';
import { windowMetrics } from '../tiers/window';
import { valueRules, type ValueRules } from './brand';
import type { MemberDoc } from '../members/documents';
import { toLot, type LedgerDoc, type LotDoc } from './documents';
import { requireMember } from '../members/resolve';

const name = (n: { zh: string; en: string }) => ({ zh: n.zh, en: n.en });

/** Where the member stands on the brand's tier ladder: current tier, next, what is missing. */
export function tierProgressOf(member: Pick<MemberDoc, 'tier' | 'tierDays'>, rules: ValueRules, now: Date) {
  const metrics = windowMetrics(member.tierDays ?? [], rules.tiers, now, rules.timeZone);
  return nextTierProgress(metrics, rules.tiers, member.tier ?? null);
}

/** points.summary: balance, spendable now, expiring soon, tier and the next one. Reads only. */
export async function pointsSummary(ctx: ActionContext): Promise<z.input<typeof summaryContract.output>> {
  const rules = valueRules();
  const now = ctx.now();
  const member = await requireMember(ctx.db, ctx.openid);
  const lots: Lot[] = [];
  for (const id of member.openLots ?? []) {
    const d = await readDoc<LotDoc>(ctx.db, 'points_lots', id);
    if (d) lots.push(toLot({ ...d, _id: id }));
  }
  const soon = expiringSoon(lots, now, rules.expiringSoonDays);
  const progress = tierProgressOf(member, rules, now);
  return {
    memberId: member._id,
    balance: member.points ?? 0,
    spendable: spendablePoints(lots, now),
    expiringSoon: {
      total: soon.total,
      earliest: soon.earliest?.toISOString() ?? null,
      withinDays: rules.expiringSoonDays,
    },
    tier: { id: progress.current.id, name: name(progress.current.name) },
    nextTier: progress.next ? { id: progress.next.id, name: name(progress.next.name) } : null,
    progress: {
      basis: progress.basis,
      value: progress.value,
      missing: progress.missing,
      ratio: progress.ratio,
      message: progress.message,
    },
  };
}

export const HISTORY_PAGE_SIZE = 20;

/** points.history: the caller's ledger, newest first. */
export async function pointsHistory(ctx: ActionContext, page: number): Promise<z.input<typeof historyContract.output>> {
  const member = await requireMember(ctx.db, ctx.openid);
  const found = (await ctx.db
    .collection('points_ledger')
    .where({ memberId: member._id })
    .orderBy('at', 'desc')
    .orderBy('_id', 'desc')
    .skip(page * HISTORY_PAGE_SIZE)
    .limit(HISTORY_PAGE_SIZE + 1)
    .get()) as unknown as { data: LedgerDoc[] };
  const rows = found.data.slice(0, HISTORY_PAGE_SIZE);
  return {
    items: rows.map((r) => ({
      id: r._id,
      kind: r.kind,
      amount: r.amount,
      at: new Date(r.at).toISOString(),
      source: r.source,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.orderId ? { orderId: r.orderId } : {}),
      ...(r.expiresAt ? { expiresAt: new Date(r.expiresAt).toISOString() } : {}),
      balanceAfter: r.balanceAfter,
    })),
    page,
    pageSize: HISTORY_PAGE_SIZE,
    hasMore: found.data.length > HISTORY_PAGE_SIZE,
  };
}
