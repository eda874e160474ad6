import type { OrderTransition, StoredOrder } from '../../core/orders';
import type { Tx } from '../db/transaction';
import { earnForOrder } from '../points/earn';
import { reverseForRefund } from '../points/reverse';
import { emptyLifecycleDoc, factsOf, orderRecordOf, withOrder, withOrderTraits } from '../lifecycle/documents';
import { saveLifecycle } from '../lifecycle/update';
import type { PortraitSettings } from '../portrait/compute';
import type { MemberDoc } from '../members/documents';
import { existingMemberTx } from '../members/resolve';

/**
 * What an order owes its member, inside the order's transaction: points for the paid amount once
 * (ledger key `earn:<orderId>`), each refund reversed in proportion once (`reverse:<orderId>:<refundNo>`),
 * then the lifecycle inputs, stage and portrait. Points follow the converged order, not the
 * transitions of this delivery, so a refund that arrived before the payment is still reversed.
 * Says whether this is the member's first paid order (for `order.paid`'s `firstPaid`, S13).
 */
export async function settleOrder(
  tx: Tx,
  memberId: string,
  orderId: string,
  order: StoredOrder,
  transitions: OrderTransition[],
  settings: PortraitSettings,
  now: Date,
  attached: boolean,
  read?: MemberDoc,
): Promise<{ firstPaid: boolean }> {
  // read before the ledger writes the member (the emulator answers a document changed earlier in
  // the same transaction with its older dates as strings); `read`: the caller read it in this transaction
  const member = read && read._id === memberId ? read : await existingMemberTx(tx, memberId);
  const moneyMoved = attached || transitions.some((t) => t.type !== 'order.created');
  if (order.paid && moneyMoved) {
    await earnForOrder(tx, memberId, orderId, order.paidFen, now);
    for (const r of order.refunds)
      if (r.amountFen > 0) await reverseForRefund(tx, memberId, orderId, r.refundNo, r.amountFen, now);
  }
  const before = factsOf(member, member.lifecycle);
  const record = orderRecordOf(order);
  const facts = withOrder(before, record);
  const traits = withOrderTraits(member.lifecycle ?? emptyLifecycleDoc(), order);
  await saveLifecycle(tx, member, facts, traits, settings, now, orderId);
  return { firstPaid: order.paid && Object.keys(before.paidOrders).every((key) => key === record.orderKey) };
}
