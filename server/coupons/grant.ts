import { decideClaim } from '../../core/coupons';
import type { Database } from '../runtime/cloud';
import type { Tx } from '../db/transaction';
import type { IdentityDoc } from '../members/documents';
import { insert } from '../points/account';
import { valueRules } from '../points/brand';
import { audit, type AuditActor } from '../audit';
import type { CouponDoc } from './documents';
import { issueCoupon } from './issue';
import { stockSnapshot } from './stock';
import { readTemplate } from './templates';
import { existingMemberTx } from '../members/resolve';
import { membersMergedInto } from '../members/store';

export interface GrantResult {
  granted: boolean;
  coupon: CouponDoc | null;
  /** When refused as already granted: the member id the earlier grant went to. */
  alreadyGrantedTo: string | null;
}

interface GrantMarker {
  templateId: string;
  occasion: string;
  memberId: string;
  couponId: string;
  at: Date;
}

/**
 * The markers that make a grant once per person: one for the member and one for each identity the
 * person is known by (openid, unionid, phone…), plus the ids merged into the member. Merging moves
 * identities to the survivor, so whichever side of a later merge got the coupon, the survivor's
 * next grant finds a marker: a merge can never double it.
 */
async function markerIds(db: Database, templateId: string, occasion: string, memberId: string): Promise<string[]> {
  const [identities, merged] = await Promise.all([
    db.collection('identities').where({ memberId }).field({ _id: true }).limit(1000).get() as Promise<{
      data: Pick<IdentityDoc, '_id'>[];
    }>,
    membersMergedInto(db, memberId),
  ]);
  const base = `${templateId}:${occasion}`;
  return [
    `${base}:m:${memberId}`,
    ...merged.map((m) => `${base}:m:${m._id}`),
    ...identities.data.map((i) => `${base}:id:${i._id}`),
  ];
}

/**
 * A rule grant (joining in store, referral rewards): issues a coupon through the 'grant' channel
 * once per person and occasion, within the template's stock and per-member limit. Runs in the
 * caller's transaction; `db` is for the identity look-up (read before any marker, after the
 * member document is locked, so a merge committing meanwhile has already moved them).
 */
export async function grantCoupon(
  tx: Tx,
  db: Database,
  input: { templateId: string; memberId: string; occasion?: string; reason: string; who: AuditActor; now: Date },
): Promise<GrantResult> {
  const { templateId, reason, who, now } = input;
  const occasion = input.occasion ?? 'once';
  const member = await existingMemberTx(tx, input.memberId);
  const ids = await markerIds(db, templateId, occasion, member._id);
  for (const id of ids) {
    const m = (await tx.collection('coupon_grants').doc(id).get()).data as GrantMarker | null;
    if (m) return { granted: false, coupon: null, alreadyGrantedTo: m.memberId };
  }
  const tz = valueRules().timeZone;
  const snap = await stockSnapshot(db, await readTemplate(db, templateId));
  const coupon = await issueCoupon(tx, {
    snap,
    memberId: member._id,
    channel: 'grant',
    now,
    decide: (t, s) => decideClaim(t, { ...s, channel: 'grant' }, now, tz),
  });
  const marker: GrantMarker = { templateId, occasion, memberId: member._id, couponId: coupon._id, at: now };
  for (const id of ids) await insert(tx, 'coupon_grants', id, { ...marker });
  await audit(tx, {
    ...who,
    at: now,
    action: 'coupons.grant',
    target: member._id,
    before: null,
    after: { couponId: coupon._id, templateId, occasion, reason },
  });
  return { granted: true, coupon, alreadyGrantedTo: null };
}
