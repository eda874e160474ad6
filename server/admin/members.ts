import type { z } from 'zod';
import { type lookup, type memberPortrait, type tag } from '../../core/contracts/admin';
import { DomainError, ErrorCodes, isDomainError } from '../../core/errors';
import { manualHolding } from '../../core/portrait';
import { audit } from '../audit';
import { tagTaxonomy } from '../portrait/settings';
import { readDoc } from '../db/documents';
import { inTransaction } from '../db/transaction';
import type { Handler } from '../kit/router';
import { identityId, type IdentityDoc, type MemberDoc } from '../members/documents';
import type { Database } from '../runtime/cloud';
import { requireStaff, staffActor } from '../staff/require';
import { existingMember } from '../members/resolve';
import { isLive, membersQuery, readMemberTx, updateMemberTx } from '../members/store';

type Portrait = z.input<typeof memberPortrait>;
type Dated = Date | string | null | undefined;
const iso = (d: Dated): string | null => (d ? new Date(d).toISOString() : null);
const live = (m: MemberDoc | null): m is MemberDoc => !!m && !m.mergedInto && !m.deletedAt;
const RECENT = 5;

/** How a query reads: 11 digits starting with 1 is a phone, letters and digits a card number, anything else a name. */
export const lookupKind = (q: string): 'phone' | 'card' | 'name' =>
  /^1\d{10}$/.test(q) ? 'phone' : /^[A-Za-z]*\d[\dA-Za-z-]*$/.test(q) ? 'card' : 'name';

async function byIdentity(db: Database, type: 'phone' | 'card', value: string): Promise<MemberDoc[]> {
  const link = await readDoc<IdentityDoc>(db, 'identities', identityId(type, value));
  if (link) {
    const m = await readDoc<MemberDoc>(db, 'members', link.memberId);
    if (live(m)) return [{ ...m, _id: link.memberId }];
  }
  // members whose identity row is missing (imported data) are still found by the field itself
  const r = (await membersQuery(db)
    .where(type === 'phone' ? { phone: value } : { cardNo: value })
    .limit(5)
    .get()) as unknown as { data: MemberDoc[] };
  return r.data.filter(live);
}

/** Exactly that member, or the one a merged-away id now stands for; a deleted or unknown id finds no one. */
async function byMemberId(db: Database, memberId: string): Promise<MemberDoc[]> {
  try {
    return [await existingMember(db, memberId)];
  } catch (e) {
    if (isDomainError(e) && e.code === ErrorCodes.NOT_FOUND) return [];
    throw e;
  }
}

async function portraitOf(db: Database, m: MemberDoc): Promise<Portrait> {
  const [orders, appts] = (await Promise.all([
    db.collection('orders').where({ memberId: m._id }).orderBy('createdAt', 'desc').limit(RECENT).get(),
    db.collection('appointments').where({ memberId: m._id }).orderBy('start', 'desc').limit(RECENT).get(),
  ])) as unknown as [{ data: Record<string, unknown>[] }, { data: Record<string, unknown>[] }];
  return {
    memberId: m._id,
    name: m.name ?? m.nickname ?? null,
    phone: m.phone ?? null,
    cardNo: m.cardNo ?? null,
    stage: m.stage ?? null,
    tags: (m.tags ?? []).map((t) => ({ tagId: t.tagId, source: t.source, at: iso(t.at) })),
    tier: m.tier ?? null,
    points: m.points ?? 0,
    ltvFen: m.ltvFen ?? 0,
    orders: orders.data.map((o) => ({
      orderId: String(o._id),
      amountFen: typeof o.paidFen === 'number' ? o.paidFen : typeof o.totalFen === 'number' ? o.totalFen : null,
      status: typeof o.status === 'string' ? o.status : null,
      at: iso(o.createdAt as Dated),
    })),
    appointments: appts.data.map((a) => ({
      appointmentId: String(a._id),
      storeId: typeof a.storeId === 'string' ? a.storeId : null,
      status: typeof a.status === 'string' ? a.status : null,
      start: iso(a.start as Dated),
    })),
  };
}

/** Staff find a member by phone, card number, name or member id and see the portrait: stage, tags, tier, points, LTV, recent orders and appointments. */
export const lookupMembers: Handler<typeof lookup> = async (input, ctx) => {
  const q = input.query;
  const kind = input.by ?? lookupKind(q);
  const search = async (): Promise<MemberDoc[]> => {
    if (kind === 'memberId') return byMemberId(ctx.db, q);
    if (kind === 'name')
      return (
        (await membersQuery(ctx.db).where({ name: q }).limit(RECENT).get()) as unknown as { data: MemberDoc[] }
      ).data.filter(live);
    return byIdentity(ctx.db, kind, q);
  };
  // the staff check and the search side by side (one round trip less); nothing is answered unless the check passes
  const [, found] = await Promise.all([requireStaff(ctx, 'member.lookup'), search()]);
  return { members: await Promise.all(found.map((m) => portraitOf(ctx.db, m))) };
};

/** Adds and removes manual tags on a member, audited with the tags before and after. */
export const tagMember: Handler<typeof tag> = async (input, ctx) => {
  const staff = await requireStaff(ctx, 'member.tag');
  const now = ctx.now();
  const defs = await tagTaxonomy(ctx.db, now.getTime());
  return inTransaction(ctx.db, async (tx) => {
    const m = await readMemberTx(tx, input.memberId);
    if (!isLive(m))
      throw new DomainError(ErrorCodes.MEMBER_NOT_FOUND, '会员不存在 / member not found', { memberId: input.memberId });
    const held = m.tags ?? [];
    const drop = new Set(input.remove);
    const kept = held.filter((t) => !drop.has(t.tagId));
    const have = new Set(kept.map((t) => t.tagId));
    const added = [...new Set(input.add)]
      .filter((t) => !have.has(t) && !drop.has(t))
      .map((tagId) =>
        manualHolding(
          defs.find((d) => d.id === tagId),
          tagId,
          now,
        ),
      );
    const tags = [...kept, ...added];
    await updateMemberTx(tx, input.memberId, { tags });
    await audit(tx, {
      ...staffActor(staff),
      at: now,
      action: 'members.tag',
      target: input.memberId,
      before: { tags: held.map((t) => t.tagId) },
      after: { tags: tags.map((t) => t.tagId) },
      ...(input.reason ? { reason: input.reason } : {}),
    });
    return { memberId: input.memberId, tags: tags.map((t) => t.tagId) };
  });
};
