import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { login as loginContract } from '../../core/contracts/member';
import type { ActionContext } from '../kit/context';
import { emit } from '../db/events';
import { inTransaction } from '../db/transaction';
import { body, readDoc } from '../db/documents';
import { identityId, type IdentityDoc, type MemberDoc } from './documents';

type LoginOutput = z.input<typeof loginContract.output>;

const view = (m: MemberDoc, isNew: boolean): LoginOutput => ({
  memberId: m._id,
  state: m.state,
  firstSeenAt: new Date(m.firstSeenAt).toISOString(),
  lastSeenAt: new Date(m.lastSeenAt).toISOString(),
  isNew,
});

/**
 * Silent login by OpenID. A returning person costs three database calls (identity, member,
 * last-seen); a first visit creates member and identity in one transaction, so two concurrent
 * first logins still make one member.
 */
export async function login(ctx: ActionContext): Promise<LoginOutput> {
  const now = ctx.now();
  const known = await readDoc<IdentityDoc>(ctx.db, 'identities', identityId('mp_openid', ctx.openid));
  if (known) {
    const member = await readDoc<MemberDoc>(ctx.db, 'members', known.memberId);
    if (member) {
      await ctx.db.collection('members').doc(member._id).update({ data: { lastSeenAt: now } });
      return view({ ...member, lastSeenAt: now }, false);
    }
  }
  return inTransaction(ctx.db, async (tx) => {
    const again = (await tx.collection('identities').doc(identityId('mp_openid', ctx.openid)).get()).data as IdentityDoc | null;
    if (again) {
      const member = (await tx.collection('members').doc(again.memberId).get()).data as MemberDoc | null;
      if (member) return view(member, false);
    }
    const member: MemberDoc = {
      _id: `m_${randomBytes(10).toString('hex')}`,
      state: 'visitor',
      openid: ctx.openid,
      ...(ctx.unionid ? { unionid: ctx.unionid } : {}),
      firstSeenAt: now,
      lastSeenAt: now,
      createdAt: now,
    };
    await tx.collection('members').doc(member._id).set({ data: body(member) });
    for (const [type, value] of [['mp_openid', ctx.openid], ['unionid', ctx.unionid]] as const) {
      if (!value) continue;
      const identity: IdentityDoc = { _id: identityId(type, value), type, value, memberId: member._id, linkedAt: now };
      await tx.collection('identities').doc(identity._id).set({ data: body(identity) });
    }
    await emit(tx, { type: 'member.first_seen', memberId: member._id, at: now, data: { source: ctx.source ?? null } });
    return view(member, true);
  });
}
