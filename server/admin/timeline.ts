import type { z } from 'zod';
import type { memberTimeline } from '../../core/contracts/tags';
import { DomainError, ErrorCodes } from '../../core/errors';
import { buildTimeline, TIMELINE_SOURCES, type TimelineKind } from '../../core/portrait';
import type { ActionContext } from '../kit/context';
import type { MemberDoc } from '../members/documents';
import { resolveMember } from '../members/resolve';
import { requireStaff } from '../staff/require';

type Out = z.input<typeof memberTimeline.output>;
const PER_SOURCE = 30;
const LIMIT = 100;
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

async function memberOf(ctx: ActionContext, memberId: string): Promise<MemberDoc> {
  const member = await resolveMember(ctx.db, memberId);
  if (!member) throw new DomainError(ErrorCodes.MEMBER_NOT_FOUND, '会员不存在 / member not found', { memberId });
  return member;
}

/**
 * admin members.timeline: stage, RFM, LTV, tags with their source, and the latest 30 of each of
 * stage changes, orders, points, coupons, bookings and messages on one timeline (each source read by
 * its member index, side by side).
 */
export async function memberTimelineAction(input: { memberId: string }, ctx: ActionContext): Promise<Out> {
  await requireStaff(ctx, 'member.lookup');
  const m = await memberOf(ctx, input.memberId);
  const kinds = Object.keys(TIMELINE_SOURCES) as TimelineKind[];
  const rows = await Promise.all(
    kinds.map(async (kind) => {
      const src = TIMELINE_SOURCES[kind];
      const r = (await ctx.db
        .collection(src.coll)
        .where({ memberId: m._id })
        .orderBy(src.at, 'desc')
        .limit(PER_SOURCE)
        .get()) as unknown as { data: Record<string, unknown>[] };
      return [kind, r.data] as const;
    }),
  );
  const items = buildTimeline(Object.fromEntries(rows), LIMIT);
  return {
    memberId: m._id,
    stage: m.stage ?? null,
    rfm: m.rfm ? { r: m.rfm.r, f: m.rfm.f, m: m.rfm.m } : null,
    ltvFen: m.ltvFen ?? 0,
    ltvForecastFen: m.ltvForecastFen ?? 0,
    points: m.points ?? 0,
    tags: (m.tags ?? []).map((t) => ({ tagId: t.tagId, source: t.source, at: iso(t.at), expiresAt: iso(t.expiresAt) })),
    items: items.map((e) => ({
      at: e.at.toISOString(),
      kind: e.kind,
      title: e.title,
      ref: e.ref,
      ...(e.name ? { name: e.name } : {}),
    })),
  };
}
