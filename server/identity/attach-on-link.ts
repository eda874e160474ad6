import type { Database } from '../runtime/cloud';
import type { ActionContext } from '../kit/context';
import { linkIdentities, type IdentityRef, type LinkResult } from './link';
import { attachPendingOrders } from '../orders/attach';

type LinkOptions = Parameters<typeof linkIdentities>[3];

/**
 * Links the ids, then attaches at once the orders that were waiting on the ids it added (a POS
 * order under a phone number reaches the member the moment that phone is bound), instead of at
 * the next `attachOrders` timer.
 */
export async function linkAndAttachOrders(
  db: Database,
  now: Date,
  ids: IdentityRef[],
  opts: LinkOptions,
): Promise<LinkResult & { ordersAttached: number }> {
  const r = await linkIdentities(db, now, ids, opts);
  const ordersAttached = await attachPendingOrders(db, r.memberId, r.linked, now, opts.log);
  return { ...r, ordersAttached };
}

/** Links another identity of the Mini Program caller to the caller's own OpenID (`reason` names the kind linked). */
export const linkToCaller = (ctx: ActionContext, now: Date, other: IdentityRef, via: string) =>
  linkAndAttachOrders(ctx.db, now, [{ type: 'mp_openid', value: ctx.openid }, other], {
    via,
    reason: other.type,
    log: ctx.log,
  });
