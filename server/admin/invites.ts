import { randomBytes } from 'node:crypto';
import type { invite, redeemInvite } from '../../core/contracts/admin';
import { DomainError, ErrorCodes } from '../../core/errors';
import { audit } from '../audit';
import { inTransaction } from '../db/transaction';
import type { Handler } from '../kit/router';
import { findStaff, requireStaff, staffActor, type StaffDoc } from '../staff/require';
import type { StaffRole } from '../staff/permissions';

/** `staff_invites/{code}`: one-time; `usedBy` is set by the redeeming transaction. */
export interface InviteDoc {
  role: StaffRole;
  storeIds: string[];
  name: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  usedBy: string | null;
  usedAt: Date | null;
  staffId: string | null;
}

// no 0/O/1/I: codes are read aloud and typed
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const newCode = (): string => [...randomBytes(10)].map((b) => ALPHABET[b % ALPHABET.length]).join('');

/** A brand admin creates an invitation for a role and stores; the code is the document id. */
export const createInvite: Handler<typeof invite> = async (input, ctx) => {
  const admin = await requireStaff(ctx, 'staff.invite');
  const now = ctx.now();
  const storeIds = input.inviteRole === 'brand_admin' ? [] : input.storeIds;
  const code = newCode();
  const doc: InviteDoc = {
    role: input.inviteRole,
    storeIds,
    name: input.name,
    createdBy: admin._id,
    createdAt: now,
    expiresAt: new Date(now.getTime() + input.validDays * 86_400_000),
    usedBy: null,
    usedAt: null,
    staffId: null,
  };
  await inTransaction(ctx.db, async (tx) => {
    await tx
      .collection('staff_invites')
      .doc(code)
      .set({ data: { ...doc } });
    await audit(tx, {
      ...staffActor(admin),
      at: now,
      action: 'staff.invite',
      target: `staff_invites/${code}`,
      before: null,
      after: { role: doc.role, storeIds, name: doc.name },
    });
  });
  return { code, inviteRole: doc.role, storeIds, expiresAt: doc.expiresAt.toISOString() };
};

/** Binds the calling OpenID to the invitation's role, once: a used, expired or unknown code is refused. */
export const redeem: Handler<typeof redeemInvite> = async (input, ctx) => {
  if (await findStaff(ctx.db, ctx.openid))
    throw new DomainError(ErrorCodes.ALREADY_STAFF, '您已是员工 / already staff');
  const code = input.code.trim().toUpperCase();
  const now = ctx.now();
  return inTransaction(ctx.db, async (tx) => {
    const ref = tx.collection('staff_invites').doc(code);
    const inv = (await ref.get()).data as InviteDoc | null;
    if (!inv) throw new DomainError(ErrorCodes.INVITE_INVALID, '邀请码无效 / unknown invitation code');
    if (inv.usedBy) throw new DomainError(ErrorCodes.INVITE_USED, '邀请码已被使用 / invitation already used');
    if (new Date(inv.expiresAt).getTime() <= now.getTime())
      throw new DomainError(ErrorCodes.INVITE_EXPIRED, '邀请码已过期 / invitation expired');
    const staffId = `staff_${randomBytes(6).toString('hex')}`;
    const staff: Omit<StaffDoc, '_id'> & { createdAt: Date; invitedBy: string } = {
      openid: ctx.openid,
      name: inv.name,
      role: inv.role,
      storeIds: inv.storeIds,
      createdAt: now,
      invitedBy: inv.createdBy,
    };
    await tx
      .collection('staff')
      .doc(staffId)
      .set({ data: { ...staff } });
    await ref.update({ data: { usedBy: ctx.openid, usedAt: now, staffId } });
    await audit(tx, {
      who: staffId,
      role: inv.role,
      at: now,
      action: 'staff.redeemInvite',
      target: `staff/${staffId}`,
      before: null,
      after: { role: inv.role, storeIds: inv.storeIds, invite: code },
    });
    return { staffId, role: inv.role, storeIds: inv.storeIds };
  });
};
