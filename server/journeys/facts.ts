import type { Condition, Journey, JourneyFacts } from '../../core/journeys';
import type { MemberFacts } from '../../core/segments';
import type { Database } from '../runtime/cloud';
import { segmentIdsOf } from '../segments/segments';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = any;

export type MemberRecord = Record<string, unknown> & { _id: string };

function segmentsAsked(journey: Journey): string[] {
  const out = new Set<string>();
  const walk = (c: Condition): void => {
    if (c.type === 'inSegment') out.add(c.segmentId);
    else if (c.type === 'all' || c.type === 'any') c.of.forEach(walk);
    else if (c.type === 'not') walk(c.of);
  };
  for (const s of journey.steps) if (s.type === 'branch') walk(s.condition);
  return [...out];
}

const asDate = (v: unknown): Date | null => (v instanceof Date ? v : typeof v === 'string' ? new Date(v) : null);

/**
 * What branches ask about a member: the member document (attributes, language, follower and
 * member status), the latest activity (last seen in the Mini Program or latest event) and the
 * saved segments the journey's branches name.
 */
export async function journeyFacts(db: Database, member: MemberRecord | null, journey: Journey, now: Date, tz: string, language: 'zh' | 'en' | null): Promise<JourneyFacts> {
  if (!member) return { language, segmentIds: [], attributes: {} };
  const last = await (db as AnyDb).collection('events').where({ memberId: member._id, at: (db as AnyDb).command.lte(now) }).orderBy('at', 'desc').limit(1).get();
  const seen = [asDate(member['lastSeenAt']), asDate(last.data[0]?.at)].filter((d): d is Date => !!d && d.getTime() <= now.getTime());
  const lastActiveAt = seen.length ? new Date(Math.max(...seen.map((d) => d.getTime()))) : null;
  const asked = segmentsAsked(journey);
  const segmentIds = asked.length ? await segmentIdsOf(db, member as MemberFacts, asked, now, tz) : [];
  const attributes: Record<string, unknown> = {
    ...member,
    isFollower: member['isFollower'] === true || member['oaFollowing'] === true,
    isMember: member['isMember'] === true || member['state'] === 'member' || typeof member['cardNo'] === 'string',
    referred: member['referred'] === true || !!member['referredBy'],
  };
  return { language, lastActiveAt, segmentIds, attributes };
}
