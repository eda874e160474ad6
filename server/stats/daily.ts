import { STAGES, type Stage } from '../../core/lifecycle';
import { DEFAULT_TIME_ZONE, instantOf, localDate, addDays } from '../../core/time';
import type { Database } from '../runtime/cloud';
import type { Logger } from '../kit/logger';

/** One row of `daily_stats` (`_id` = the local date it describes): what dashboards read. */
export interface DailyStatsDoc {
  date: string;
  /** Counts at the end of the day (when the timer ran). */
  followers: number;
  members: number;
  /** People who have paid (stage first_time, repeat, loyal or lapsed). */
  paidCustomers: number;
  paidFollowers: number;
  /** Paid customers among followers ÷ followers (seed 000's trend); 0 with no followers. */
  paidAmongFollowers: number;
  stages: Record<Stage | 'none', number>;
  /** Members whose card was claimed that day. */
  newMembers: number;
  /** Referred friends who joined (claimed a card) that day, by `referrals.joinedAt`. */
  referralConversions: number;
  /** Invitations recorded that day (a friend opened a share card or poster), by `referrals.day`. */
  referralOpens: number;
  computedAt: Date;
}

const PAID_STAGES: Stage[] = ['first_time', 'repeat', 'loyal', 'lapsed'];

/**
 * The statistics of the local day before `now` (the timer runs just after midnight), by count
 * queries over live members (not merged, not deleted) and over `referrals` (indexed `joinedAt`
 * range, indexed `day` equality). Written with `set`, so a rerun replaces the row.
 * A join is counted once the referral timer (every 10 minutes) has read its event: one in the
 * last seconds of a day reaches the row only when the day is computed again.
 */
export async function computeDailyStats(
  db: Database,
  now: Date,
  log?: Logger,
  tz = DEFAULT_TIME_ZONE,
): Promise<DailyStatsDoc> {
  const _ = db.command;
  const date = addDays(localDate(now, tz), -1);
  const live = { mergedInto: _.exists(false), deletedAt: _.exists(false) };
  const countIn = async (coll: string, where: Record<string, unknown>) =>
    ((await db.collection(coll).where(where).count()) as { total: number }).total;
  const count = (where: Record<string, unknown>) => countIn('members', { ...live, ...where });
  const theDay = () => _.gte(instantOf(date, '00:00', tz)).and(_.lt(instantOf(addDays(date, 1), '00:00', tz)));
  const [
    followers,
    members,
    paidCustomers,
    paidFollowers,
    newMembers,
    referralConversions,
    referralOpens,
    ...stageCounts
  ] = await Promise.all([
    count({ oaFollowing: true }),
    count({ cardNo: _.exists(true) }),
    count({ stage: _.in(PAID_STAGES) }),
    count({ oaFollowing: true, stage: _.in(PAID_STAGES) }),
    count({ claimedAt: theDay() }),
    countIn('referrals', { joinedAt: theDay() }),
    countIn('referrals', { day: date }),
    ...STAGES.map((s) => count({ stage: s })),
    count({ stage: _.exists(false) }),
  ]);
  const stages = Object.fromEntries([...STAGES, 'none'].map((s, i) => [s, stageCounts[i] ?? 0])) as Record<
    Stage | 'none',
    number
  >;
  const row: DailyStatsDoc = {
    date,
    followers,
    members,
    paidCustomers,
    paidFollowers,
    paidAmongFollowers: followers ? paidFollowers / followers : 0,
    stages,
    newMembers,
    referralConversions,
    referralOpens,
    computedAt: now,
  };
  await db
    .collection('daily_stats')
    .doc(date)
    .set({ data: { ...row } });
  log?.info('daily stats', { date, followers, members, paidCustomers, referralConversions });
  return row;
}
