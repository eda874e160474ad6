import { randomBytes } from 'node:crypto';
import {
  buildCoupon,
  generateCouponCode,
  COUPON_CODE_RANDOM_BYTES,
  type ClaimDecision,
  type CouponChannel,
  type CouponTemplate,
} from '../../core/coupons';
import { sideBySide, type Tx } from '../db/transaction';
import { emit } from '../db/events';
import { body } from '../db/documents';
import { insert } from '../points/account';
import { claimCounterId, type ClaimCounterDoc, type CouponDoc } from './documents';
import { findUnit, type StockSnapshot, type Unit } from './stock';

export type Decide = (
  template: CouponTemplate,
  state: { claimedByMember: number; stockLeft: number | null },
) => ClaimDecision;

/** The member's counter of a template, read locked: concurrent issues to one member queue on it. */
export const readCounterTx = async (tx: Tx, templateId: string, memberId: string): Promise<ClaimCounterDoc | null> =>
  (await tx.collection('coupon_claims').doc(claimCounterId(templateId, memberId)).get()).data as ClaimCounterDoc | null;

/** What an issue reads in its transaction, side by side: the member's counter and a unit of stock. */
export interface IssueReads {
  counter: ClaimCounterDoc | null;
  unit: Unit | null;
}

export const readForIssue = async (
  tx: Tx,
  snap: StockSnapshot,
  memberId: string,
  counter?: ClaimCounterDoc | null,
): Promise<IssueReads> => {
  const templateId = snap.stored.template.templateId;
  const [c, unit] = await sideBySide([
    counter !== undefined ? counter : readCounterTx(tx, templateId, memberId),
    findUnit(tx, snap),
  ] as const);
  return { counter: c, unit };
};

/**
 * Issues one coupon of a template to a member inside the caller's transaction. The member's
 * counter and a unit of stock (`findUnit`, one stock shard) are read at the transaction's snapshot
 * (pass them as `reads` when already read in this transaction); the writes that follow, the shard
 * and the counter among them, conflict with any other transaction's, so the per-member limit is
 * never exceeded and stock never oversold while claims of one template run side by side. The
 * template's terms come from the snapshot, not the transaction: claims never lock the template
 * document. `decide` is the core rule (claim, grant or exchange): first for the member's limit and
 * the terms, then for stock. The four writes go side by side. `couponId` is random unless the
 * caller derives it (a claim: from its request, see claim.ts).
 */
export async function issueCoupon(
  tx: Tx,
  input: {
    snap: StockSnapshot;
    memberId: string;
    channel: CouponChannel;
    now: Date;
    decide: Decide;
    reads?: IssueReads;
    couponId?: string;
  },
): Promise<CouponDoc> {
  const { snap, memberId, channel, now } = input;
  const template = snap.stored.template;
  const templateId = template.templateId;
  const { counter, unit } = input.reads ?? (await readForIssue(tx, snap, memberId));
  const claimed = counter?.count ?? 0;
  input.decide(template, { claimedByMember: claimed, stockLeft: null });
  const decision = input.decide(template, { claimedByMember: claimed, stockLeft: unit ? 1 : 0 });
  if (!unit) throw new Error('an issue was decided without a unit of stock');

  const coupon = buildCoupon(
    template,
    {
      couponId: input.couponId ?? `cp_${randomBytes(10).toString('hex')}`,
      memberId,
      code: generateCouponCode(randomBytes(COUPON_CODE_RANDOM_BYTES)),
    },
    decision,
    now,
  );
  const { couponId, ...rest } = coupon;
  const doc: CouponDoc = { _id: couponId, ...rest, name: template.name, channel, status: 'available' };
  const counterId = claimCounterId(templateId, memberId);
  await sideBySide([
    unit.take(),
    insert(tx, 'coupons', couponId, body(doc)),
    counter
      ? tx
          .collection('coupon_claims')
          .doc(counterId)
          .update({ data: { count: claimed + 1 } })
      : insert(tx, 'coupon_claims', counterId, { templateId, memberId, count: 1 }),
    emit(tx, { type: 'coupon.issued', memberId, at: now, data: { couponId, templateId, channel } }),
  ] as const);
  return doc;
}
