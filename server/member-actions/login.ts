import type { z } from 'zod';
import type { login as loginContract } from '../../core/contracts/member';
import { stateOf } from '../../core/identity/member';
import type { ActionContext } from '../kit/context';
import { emit, eventId, type DomainEvent } from '../db/events';
import { inTransaction, sideBySide } from '../db/transaction';
import { body, readDoc } from '../db/documents';
import { identityId, type IdentityDoc, type MemberDoc, type TouchDoc } from '../members/documents';
import { resolveTouch } from '../members/attribution';
import { memberViewOf } from '../members/view';
import { newMemberId, writeIdentity } from '../identity/link';
import { linkToCaller } from '../identity/attach-on-link';
import { resolveMember, resolveMemberTx } from '../members/resolve';

type LoginInput = z.output<typeof loginContract.input>;
type LoginOutput = z.input<typeof loginContract.output>;

const touchPatch = (m: MemberDoc, t: TouchDoc | null): Record<string, unknown> =>
  t ? { 'attribution.last': t, ...(m.attribution?.first ? {} : { 'attribution.first': t }) } : {};
const withTouch = (m: MemberDoc, t: TouchDoc | null): MemberDoc =>
  t ? { ...m, attribution: { first: m.attribution?.first ?? t, last: t } } : m;
const visited = (memberId: string, t: TouchDoc, at: Date, entryScene?: number): DomainEvent<'member.visited'> => ({
  type: 'member.visited',
  memberId,
  at,
  data: {
    storeId: t.storeId,
    advisorId: t.advisorId,
    campaign: t.campaign,
    via: t.via,
    entryScene: entryScene ?? null,
  },
});

/**
 * Last-seen of a member that is neither merged away nor deleted, in one conditional write: true
 * when it was one (written), false otherwise (nothing written).
 */
async function touchLastSeen(ctx: ActionContext, memberId: string, now: Date): Promise<boolean> {
  const r = (await ctx.db
    .collection('members')
    .where({ _id: memberId, mergedInto: null, deletedAt: null })
    .update({ data: { lastSeenAt: now } })) as { stats: { updated: number } };
  return r.stats.updated > 0;
}

/**
 * Silent login by OpenID. A returning person without a scene costs three database calls in two
 * round trips (the identity; then the member and its last-seen side by side); a scene adds its
 * lookup (beside the identity) and the `member.visited` event (beside the last-seen). A first
 * visit creates member and identity in one transaction (two concurrent first logins make one
 * member), or joins the member a known UnionID leads to (an Official Account follower).
 */
export async function login(input: LoginInput, ctx: ActionContext): Promise<LoginOutput> {
  const now = ctx.now();
  const [touch, known] = await sideBySide([
    input.scene !== undefined || input.query ? resolveTouch(ctx, input, now) : null,
    readDoc<IdentityDoc>(ctx.db, 'identities', identityId('mp_openid', ctx.openid)),
  ] as const);
  if (known) {
    // the usual case, a live member and no touch to merge: its last-seen is written beside the read
    const plain = !touch && !ctx.unionid;
    const [read, seenNow] = await sideBySide([
      readDoc<MemberDoc>(ctx.db, 'members', known.memberId),
      plain ? touchLastSeen(ctx, known.memberId, now) : false,
    ] as const);
    let member = read;
    if (member?.mergedInto) member = await resolveMember(ctx.db, member._id);
    if (member && !member.deletedAt) {
      if (ctx.unionid && member.unionid !== ctx.unionid) member = await adoptUnionid(ctx, member, now);
      const writes: unknown[] = [];
      if (!seenNow || member._id !== known.memberId)
        writes.push(
          ctx.db
            .collection('members')
            .doc(member._id)
            .update({ data: { lastSeenAt: now, ...touchPatch(member, touch) } }),
        );
      if (touch) {
        const ev = visited(member._id, touch, now, input.entryScene);
        writes.push(ctx.db.collection('events').add({ data: { _id: eventId(), ...ev } }));
      }
      await sideBySide(writes);
      return memberViewOf(withTouch({ ...member, lastSeenAt: now }, touch), false);
    }
  }
  return inTransaction(ctx.db, async (tx) => {
    const again = (await tx.collection('identities').doc(identityId('mp_openid', ctx.openid)).get())
      .data as IdentityDoc | null;
    if (again) {
      const m = await resolveMemberTx(tx, again.memberId);
      if (m) return memberViewOf(m, false);
    }
    // a UnionID already known (e.g. an Official Account follower) means this person is that member
    let existing: MemberDoc | null = null;
    if (ctx.unionid) {
      const u = (await tx.collection('identities').doc(identityId('unionid', ctx.unionid)).get())
        .data as IdentityDoc | null;
      existing = u ? await resolveMemberTx(tx, u.memberId) : null;
    }
    const member: MemberDoc = existing
      ? { ...existing, openid: existing.openid ?? ctx.openid, lastSeenAt: now }
      : {
          _id: newMemberId(),
          state: 'visitor',
          openid: ctx.openid,
          ...(ctx.unionid ? { unionid: ctx.unionid } : {}),
          firstSeenAt: now,
          lastSeenAt: now,
          createdAt: now,
        };
    if (existing)
      await tx
        .collection('members')
        .doc(member._id)
        .update({ data: { openid: member.openid, lastSeenAt: now, ...touchPatch(existing, touch) } });
    else
      await tx
        .collection('members')
        .doc(member._id)
        .set({ data: body(withTouch(member, touch)) });
    const links: [IdentityDoc['type'], string | undefined][] = [
      ['mp_openid', ctx.openid],
      ['unionid', existing ? undefined : ctx.unionid],
    ];
    for (const [type, value] of links) {
      if (value) await writeIdentity(tx, { type, value }, member._id, now, 'mp');
    }
    if (!existing)
      await emit(tx, {
        type: 'member.first_seen',
        memberId: member._id,
        at: now,
        data: { source: ctx.source ?? null },
      });
    if (touch) await emit(tx, visited(member._id, touch, now, input.entryScene));
    return memberViewOf(
      { ...withTouch(member, touch), state: stateOf(member) === 'deleted' ? 'visitor' : member.state },
      !existing,
    );
  });
}

/** The platform now gives a UnionID for this person: link it, merging with whoever held it. */
async function adoptUnionid(ctx: ActionContext, member: MemberDoc, now: Date): Promise<MemberDoc> {
  const unionid = ctx.unionid as string;
  const r = await linkToCaller(ctx, now, { type: 'unionid', value: unionid }, 'mp');
  const m = await resolveMember(ctx.db, r.memberId);
  if (!m) return member;
  if (m.unionid) return m;
  await ctx.db.collection('members').doc(m._id).update({ data: { unionid } });
  return { ...m, unionid };
}
