import type { z } from 'zod';
import type { mine as mineContract } from '../../core/contracts/referral';
import type { ActionContext } from '../kit/context';
import { requireMember } from '../identity/resolve';
import type { MemberDoc } from '../members/documents';
import { asDate, statusOf, type ReferralDoc } from './documents';
import { displayName } from './open';

type Output = z.input<typeof mineContract.output>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = any;

const iso = (v: unknown): string | null => asDate(v)?.toISOString() ?? null;

/**
 * The referrer's page: friends they invited (latest first) with how far each got, and their own
 * rewards: earned (granted), pending (held, or waiting for the friend to join or buy), cancelled.
 */
export async function myReferrals(ctx: ActionContext): Promise<Output> {
  const me = await requireMember(ctx.db, ctx.openid);
  const db = ctx.db as AnyDb;
  const rows = (await db.collection('referrals').where({ referrerId: me._id }).orderBy('openedAt', 'desc').limit(100).get()).data as ReferralDoc[];
  const friendIds = [...new Set(rows.map((r) => r.refereeId))];
  const friends = friendIds.length
    ? ((await db.collection('members').where({ _id: db.command.in(friendIds) }).field({ _id: true, nickname: true, name: true }).limit(100).get()).data as Pick<MemberDoc, '_id' | 'nickname' | 'name'>[])
    : [];
  const byId = new Map(friends.map((f) => [f._id, f]));
  const rewards = { earned: 0, pending: 0, cancelled: 0 };
  for (const r of rows) {
    const s = r.rewards.referrer;
    if (s === 'granted') rewards.earned++;
    else if (s === 'cancelled') rewards.cancelled++;
    else rewards.pending++;
  }
  return {
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
