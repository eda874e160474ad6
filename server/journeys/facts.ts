import { conditionsOf, type Condition, type Journey, type JourneyFacts } from '../../core/journeys';
import { hasConsent } from '../../core/messaging';
import { readDoc } from '../db/documents';
import type { ConsentDoc } from '../messaging/documents';
import type { StoredMember } from '../../core/segments';
import type { Database, AnyDb } from '../runtime/cloud';
import { segmentIdsOf } from '../segments/segments';
import { OA_INTERACTIONS } from '../messaging/audience';

export type MemberRecord = Record<string, unknown> & { _id: string };

/** What the journey's branches ask: the segments and consents they name, and whether any asks about recent activity. */
function asked(journey: Journey): { segmentIds: string[]; activity: boolean; consents: string[] } {
  const conditions = conditionsOf(journey.steps);
  const pick = <T extends Condition['type']>(t: T) =>
    conditions.filter((c): c is Extract<Condition, { type: T }> => c.type === t);
  return {
    segmentIds: [...new Set(pick('inSegment').map((c) => c.segmentId))],
    activity: pick('activeWithin').length > 0,
    consents: [...new Set(pick('consent').map((c) => c.template))],
  };
}

const heldTags = (member: MemberRecord): string[] => {
  const held = Array.isArray(member['tags']) ? (member['tags'] as unknown[]) : [];
  const ids = held.map((t) => (typeof t === 'string' ? t : (t as { tagId?: string })?.tagId));
  return ids.filter((t): t is string => !!t);
};

const asDate = (v: unknown): Date | null => (v instanceof Date ? v : typeof v === 'string' ? new Date(v) : null);

/**
 * What branches ask about a member: the member document (attributes, language, follower and
 * member status), the latest activity and the saved segments the journey's branches name.
 * "Active" is an Official Account interaction (seed 002 branches on it to choose between a
 * customer-service article, allowed within 48 hours of one, and a template message); an order or
 * a Mini Program visit does not open that window.
 */
export async function journeyFacts(
  db: Database,
  member: MemberRecord | null,
  journey: Journey,
  now: Date,
  tz: string,
  language: 'zh' | 'en' | null,
  templateIdOf: (key: string) => string = (key) => key,
): Promise<JourneyFacts> {
  if (!member) return { language, segmentIds: [], attributes: {} };
  const _ = (db as AnyDb).command;
  const ask = asked(journey);
  // the member's events newest first through `memberId_at`, up to the latest interaction
  const last = ask.activity
    ? await (db as AnyDb)
        .collection('events')
        .where({ memberId: member._id, type: _.in(OA_INTERACTIONS), at: _.lte(now) })
        .orderBy('at', 'desc')
        .limit(1)
        .get()
    : { data: [] };
  const lastActiveAt = asDate(last.data[0]?.at);
  const segmentIds = ask.segmentIds.length
    ? await segmentIdsOf(db, member as StoredMember, ask.segmentIds, now, tz)
    : [];
  const ledger = ask.consents.length ? ((await readDoc<ConsentDoc>(db, 'consents', member._id))?.templates ?? {}) : {};
  const consents = ask.consents.filter((key) => hasConsent(ledger, templateIdOf(key)));
  const attributes: Record<string, unknown> = {
    ...member,
    isFollower: member['isFollower'] === true || member['oaFollowing'] === true,
    isMember: member['isMember'] === true || member['state'] === 'member' || typeof member['cardNo'] === 'string',
    referred: member['referred'] === true || !!member['referredBy'],
  };
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const [tags, stage, tier] = [heldTags(member), text(member['stage']), text(member['tier'])];
  return { language, lastActiveAt, segmentIds, attributes, tags, stage, tier, consents };
}
