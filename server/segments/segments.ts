import type { z } from 'zod';
import { messagingErrors, type previewSegment, type saveSegment } from '../../core/contracts/messaging';
import { DomainError } from '../../core/errors';
import { factsOfMember, matches, segmentRuleSchema, toMongoQuery, type SegmentRule, type StoredMember } from '../../core/segments';
import { body, readDoc } from '../db/documents';
import type { ActionContext } from '../kit/context';
import type { Database } from '../runtime/cloud';
import type { SegmentDoc } from '../messaging/documents';
import { requireMarketingStaff } from '../messaging/member';
import { brandMessaging } from '../messaging/brand';
import { toSdkWhere } from './where';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK types a query's get() as string | void | IQueryResult
type AnyDb = any;

/** Members matching a rule now, as an SDK `where` on `members` (deleted and merged members excluded). */
export function segmentWhere(db: Database, rule: SegmentRule, now: Date, tz: string): unknown {
  const d = db as AnyDb;
  const _ = d.command;
  return _.and([toSdkWhere(toMongoQuery(rule, now, tz), _, (regexp) => d.RegExp({ regexp })), { deletedAt: _.exists(false), mergedInto: _.exists(false) }]);
}

export async function countSegment(db: Database, rule: SegmentRule, now: Date, tz: string): Promise<number> {
  const r = await (db as AnyDb).collection('members').where(segmentWhere(db, rule, now, tz)).count();
  return r.total as number;
}

export async function loadSegment(db: Database, id: string): Promise<{ id: string; rule: SegmentRule } | null> {
  const doc = await readDoc<SegmentDoc>(db, 'segments', id);
  return doc ? { id, rule: segmentRuleSchema.parse(doc.rule) } : null;
}

/** Whether a member document is in each of the given saved segments now (journeys' inSegment branches). */
export async function segmentIdsOf(db: Database, member: StoredMember, ids: readonly string[], now: Date, tz: string): Promise<string[]> {
  const out: string[] = [];
  const facts = factsOfMember(member);
  for (const id of ids) {
    const seg = await loadSegment(db, id);
    if (seg && matches(seg.rule, facts, now, tz)) out.push(id);
  }
  return out;
}

export async function previewSegmentAction(input: z.output<typeof previewSegment.input>, ctx: ActionContext) {
  await requireMarketingStaff(ctx);
  const now = ctx.now();
  const { timeZone } = await brandMessaging(ctx.db);
  return { count: await countSegment(ctx.db, input.rule, now, timeZone), at: now.toISOString() };
}

export async function saveSegmentAction(input: z.output<typeof saveSegment.input>, ctx: ActionContext) {
  const staff = await requireMarketingStaff(ctx);
  const now = ctx.now();
  const doc: SegmentDoc = { _id: input.id, name: input.name, rule: input.rule, updatedBy: staff.staffId, updatedAt: now };
  await ctx.db.collection('segments').doc(input.id).set({ data: body(doc) });
  const { timeZone } = await brandMessaging(ctx.db);
  return { id: input.id, count: await countSegment(ctx.db, input.rule, now, timeZone) };
}

export const segmentNotFound = (id: string) => new DomainError(messagingErrors.SEGMENT_NOT_FOUND, `分群不存在 / no segment ${id}`, { segmentId: id });
