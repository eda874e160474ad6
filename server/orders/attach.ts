import type { Database } from '../runtime/cloud';
import type { Logger } from '../kit/logger';
import { inTransaction } from '../db/transaction';
import { emit } from '../db/events';
import { portraitSettings } from '../portrait/settings';
import { storedOrderOf, type OrderDoc } from './documents';
import { settleOrder } from './settle';
import { resolveMemberTx } from '../members/resolve';

const PAGE = 100;

/** Gives one unattached order to a member, with its points and lifecycle; a no-op if it was attached meanwhile. */
async function attachOne(
  db: Database,
  orderId: string,
  memberId: string,
  now: Date,
  settings: Awaited<ReturnType<typeof portraitSettings>>,
): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const cur = (await tx.collection('orders').doc(orderId).get()).data as OrderDoc | null;
    if (!cur || cur.memberId) return false;
    const root = await resolveMemberTx(tx, memberId);
    if (!root) return false;
    const order = storedOrderOf(cur as unknown as Record<string, unknown>);
    await tx
      .collection('orders')
      .doc(orderId)
      .update({ data: { memberId: root._id, attachedAt: now } });
    await emit(tx, { type: 'order.attached', memberId: root._id, at: now, data: { orderId } });
    await settleOrder(tx, root._id, orderId, order, [], settings, now, true);
    return true;
  });
}

/**
 * Attaches the orders waiting on any of these identity ids (`phone:…`, `external:pos:…`) to the
 * member. For the identity code to call after a link or merge; the `attachOrders` timer does the
 * same for every waiting order, so a missed call only delays the attachment.
 */
export async function attachPendingOrders(
  db: Database,
  memberId: string,
  identityIds: string[],
  now: Date,
  log?: Logger,
): Promise<number> {
  if (identityIds.length === 0) return 0;
  const _ = db.command;
  let settings: Awaited<ReturnType<typeof portraitSettings>> | null = null;
  let attached = 0;
  let after = '';
  for (;;) {
    const page = (await db
      .collection('orders')
      .where({ _id: _.gt(after), memberId: null, refIds: _.in(identityIds) })
      .orderBy('_id', 'asc')
      .field({ _id: true })
      .limit(PAGE)
      .get()) as { data: { _id: string }[] };
    for (const d of page.data) {
      settings ??= await portraitSettings(db, now);
      if (await attachOne(db, d._id, memberId, now, settings)) attached++;
    }
    if (page.data.length < PAGE) break;
    after = page.data[page.data.length - 1]!._id;
  }
  if (attached) log?.info('orders attached', { memberId, attached });
  return attached;
}

/**
 * Timer: every waiting order whose customer has become known since is attached. Reads the
 * unattached orders a page of 1000 at a time, and their identities by id.
 */
export async function attachWaitingOrders(
  db: Database,
  now: Date,
  log?: Logger,
): Promise<{ scanned: number; attached: number }> {
  const _ = db.command;
  let after = '';
  let scanned = 0;
  let attached = 0;
  let settings: Awaited<ReturnType<typeof portraitSettings>> | null = null;
  for (;;) {
    const page = (await db
      .collection('orders')
      .where({ _id: _.gt(after), memberId: null })
      .orderBy('_id', 'asc')
      .field({ _id: true, refIds: true })
      .limit(1000)
      .get()) as { data: { _id: string; refIds?: string[] }[] };
    scanned += page.data.length;
    const refIds = [...new Set(page.data.flatMap((d) => d.refIds ?? []))];
    const known = new Map<string, string>();
    for (let i = 0; i < refIds.length; i += 1000) {
      const r = (await db
        .collection('identities')
        .where({ _id: _.in(refIds.slice(i, i + 1000)) })
        .field({ memberId: true })
        .limit(1000)
        .get()) as unknown as { data: { _id: string; memberId: string }[] };
      for (const d of r.data) known.set(d._id, d.memberId);
    }
    for (const d of page.data) {
      const memberId = (d.refIds ?? []).map((r) => known.get(r)).find(Boolean);
      if (!memberId) continue;
      settings ??= await portraitSettings(db, now);
      if (await attachOne(db, d._id, memberId, now, settings)) attached++;
    }
    if (page.data.length < 1000) break;
    after = page.data[page.data.length - 1]!._id;
  }
  if (attached) log?.info('waiting orders attached', { scanned, attached });
  return { scanned, attached };
}
