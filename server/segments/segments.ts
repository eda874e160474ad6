import type { z } from 'zod';
import { type previewSegment, type saveSegment } from '../../core/contracts/messaging';
import { DomainError, ErrorCodes } from '../../core/errors';
import { factsOfMember, matches, segmentRuleSchema, type SegmentRule, type StoredMember } from '../../core/segments';
import { body, readDoc } from '../db/documents';
import type { ActionContext } from '../kit/context';
import type { Database } from '../runtime/cloud';
import type { SegmentDoc } from '../messaging/documents';
import { requireMarketingStaff } from '../messaging/member';
import { brandMessaging } from '../messaging/brand';
import { audit } from '../audit';
import { inTransaction } from '../db/transaction';
import { countSegment, segmentSample } from './members';
export { segmentWhere } from './where';

export async function loadSegment(db: Database, id: string): Promise<{ id: string; rule: SegmentRule } | null> {
  const doc = await readDoc<SegmentDoc>(db, 'segments', id);
  return doc ? { id, rule: segmentRuleSchema.parse(doc.rule) } : null;
}

/** Whether a member document is in each of the given saved segments now (journeys' inSegment branches). */
export async function segmentIdsOf(
  db: Database,
  member: StoredMember,
  ids: readonly string[],
  now: Date,
  tz: string,
): Promise<string[]> {
  const out: string[] = [];
  const facts = factsOfMember(member);
  for (const id of ids) {
    const seg = await loadSegment(db, id);
    if (seg && matches(seg.rule, facts, now, tz)) out.push(id);
  }
  return out;
}

const SAMPLE = 10;

/** Staff: how many members the rule holds now, and a few of them. */
export async function previewSegmentAction(input: z.output<typeof previewSegment.input>, ctx: ActionContext) {
  await requireMarketingStaff(ctx);
  const now = ctx.now();
  const { timeZone } = await brandMessaging(ctx.db);
  const [count, sample] = await Promise.all([
    countSegment(ctx.db, input.rule, now, timeZone),
    segmentSample(ctx.db, input.rule, now, timeZone, SAMPLE),
  ]);
  const members = sample.map((m) => ({
    memberId: m._id,
    name: m.name ?? m.nickname ?? null,
    stage: m.stage ?? null,
    tier: m.tier ?? null,
    ltvFen: typeof m.ltvFen === 'number' ? m.ltvFen : 0,
  }));
  return { count, sample: members, at: now.toISOString() };
}

/** Staff: save (create or replace) a segment, audited with the rule before and after. */
export async function saveSegmentAction(input: z.output<typeof saveSegment.input>, ctx: ActionContext) {
  const staff = await requireMarketingStaff(ctx);
  const now = ctx.now();
  const doc: SegmentDoc = {
    _id: input.id,
    name: input.name,
    rule: input.rule,
    updatedBy: staff.staffId,
    updatedAt: now,
  };
  await inTransaction(ctx.db, async (tx) => {
    const ref = tx.collection('segments').doc(input.id);
    const before = (await ref.get()).data as SegmentDoc | null;
    await ref.set({ data: body(doc) });
    await audit(tx, {
      who: staff.staffId,
      role: staff.role,
      at: now,
      action: 'segments.save',
      target: `segments/${input.id}`,
      before: before ? { name: before.name, rule: before.rule } : null,
      after: { name: doc.name, rule: doc.rule },
    });
  });
  const { timeZone } = await brandMessaging(ctx.db);
  return { id: input.id, count: await countSegment(ctx.db, input.rule, now, timeZone) };
}

export const segmentNotFound = (id: string) =>
  new DomainError(ErrorCodes.SEGMENT_NOT_FOUND, `分群不存在 / no segment ${id}`, { segmentId: id });
