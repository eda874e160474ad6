import type { z } from 'zod';
import type {
  getProfile as getContract,
  updateProfile as updateContract,
  withdrawMarketing as withdrawContract,
} from '../../core/contracts/member';
import { maskPhone } from '../../core/identity/member';
import type { ActionContext } from '../kit/context';
import type { Handler } from '../kit/router';
import { inTransaction } from '../db/transaction';
import { emit } from '../db/events';
import { skipQueuedMarketing } from '../messaging/withdrawn';
import { requireMember } from '../members/resolve';

const iso = (d: Date | undefined) => (d ? new Date(d).toISOString() : null);

/** Nickname and avatar from the platform's fill-in components. */
export const updateProfile: Handler<typeof updateContract> = async (input, ctx) => {
  const m = await requireMember(ctx.db, ctx.openid);
  const patch = {
    ...(input.nickname !== undefined ? { nickname: input.nickname } : {}),
    ...(input.avatarUrl !== undefined ? { avatarUrl: input.avatarUrl } : {}),
  };
  if (Object.keys(patch).length) await ctx.db.collection('members').doc(m._id).update({ data: patch });
  const after = { ...m, ...patch };
  return { nickname: after.nickname ?? null, avatarUrl: after.avatarUrl ?? null };
};

export async function getProfile(ctx: ActionContext): Promise<z.input<typeof getContract.output>> {
  const m = await requireMember(ctx.db, ctx.openid);
  return {
    memberId: m._id,
    state: m.state === 'deleted' ? 'visitor' : m.state,
    name: m.name ?? null,
    birthday: m.birthday ?? null,
    gender: m.gender ?? null,
    language: m.language ?? 'zh',
    nickname: m.nickname ?? null,
    avatarUrl: m.avatarUrl ?? null,
    phoneMasked: m.phone ? maskPhone(m.phone) : null,
    cardNo: m.cardNo ?? null,
    email: { confirmed: m.email ?? null, pending: m.emailPending?.address ?? null },
    consents: {
      privacyVersion: m.consents?.privacyVersion ?? null,
      privacyAcceptedAt: iso(m.consents?.privacyAcceptedAt),
      marketingOptIn: m.consents?.marketingOptIn ?? false,
      marketingChangedAt: iso(m.consents?.marketingChangedAt),
      marketingVersion: m.consents?.marketingVersion ?? null,
      trackingOptIn: m.consents?.trackingOptIn ?? false,
    },
  };
}

/**
 * Withdraws marketing consent now; recorded with time and the policy version, and as an event.
 * Marketing messages already waiting in the outbox (journeys, campaigns, Official Account) are
 * skipped at once; the dispatcher also refuses a marketing row it had claimed meanwhile.
 */
export async function withdrawMarketing(ctx: ActionContext): Promise<z.input<typeof withdrawContract.output>> {
  const now = ctx.now();
  const m = await requireMember(ctx.db, ctx.openid);
  const version = m.consents?.privacyVersion ?? null;
  const versioned = version ? { 'consents.marketingVersion': version } : {};
  const choice = { 'consents.marketingOptIn': false, 'consents.marketingChangedAt': now, ...versioned };
  await inTransaction(ctx.db, async (tx) => {
    await tx.collection('members').doc(m._id).update({ data: choice });
    const data = { privacyVersion: version };
    await emit(tx, { type: 'consent.marketing_withdrawn', memberId: m._id, at: now, data });
  });
  await skipQueuedMarketing(ctx.db, m._id, now);
  return { marketingOptIn: false, changedAt: now.toISOString() };
}
