import type { z } from 'zod';
import type { mine as mineContract } from '../../core/contracts/referral';
import type { ActionContext } from '../kit/context';
import type { MemberDoc } from '../members/documents';
import { asDate, statusOf, type ReferralDoc } from './documents';
import { displayName } from './open';
import { requireMember } from '../members/resolve';
import { membersByIds } from '../members/store';
import type { AnyDb } from '../runtime/cloud';

type Output = z.input<typeof mineContract.output>;

const iso = (v: unknown): string | null => asDate(v)?.toISOString() ?? null;

const PAGE_SIZE = 20;

/**
 * The referrer's page: friends they invited (latest first, a page at a time) with how far each
 * got, and their own rewards over all friends: earned (granted), pending (held, or waiting for
 * the friend to join or buy), cancelled — counted by the database, not from the page.
 */
export async function myReferrals(input: { page: number }, ctx: ActionContext): Promise<Output> {
  const me = await requireMember(ctx.db, ctx.openid);
  const db = ctx.db as AnyDb;
  const mineOnly = { referrerId: me._id };
  const [found, total, earned, cancelled] = await Promise.all([
    db
      .collection('referrals')
      .where(mineOnly)
      .orderBy('openedAt', 'desc')
      .skip(input.page * PAGE_SIZE)
      .limit(PAGE_SIZE + 1)
      .get(),
    db.collection('referrals').where(mineOnly).count(),
    db
      .collection('referrals')
      .where({ ...mineOnly, 'rewards.referrer': 'granted' })
      .count(),
    db
      .collection('referrals')
      .where({ ...mineOnly, 'rewards.referrer': 'cancelled' })
      .count(),
  ]);
  const rows = (found.data as ReferralDoc[]).slice(0, PAGE_SIZE);
  const friendIds = [...new Set(rows.map((r) => r.refereeId))];
  const friends = friendIds.length
    ? await membersByIds<Pick<MemberDoc, '_id' | 'nickname' | 'name'>>(db, friendIds, {
        _id: true,
        nickname: true,
        name: true,
      })
    : [];
  const byId = new Map(friends.map((f) => [f._id, f]));
  const rewards = {
    earned: earned.total as number,
    pending: (total.total as number) - earned.total - cancelled.total,
    cancelled: cancelled.total as number,
  };
  return {
    page: input.page,
    pageSize: PAGE_SIZE,
    hasMore: found.data.length > PAGE_SIZE,
    total: total.total as number,
    friends: rows.map((r) => ({
      name: displayName(byId.get(r.refereeId) ?? {}),
      status: statusOf(r),
      openedAt: iso(r.openedAt) as string,
      reward: r.rewards.referrer,
      rewardReleaseAt: r.rewards.referrer === 'held' ? iso(r.releaseAt) : null,
    })),
    rewards,
  };
}
