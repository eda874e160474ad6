import { OA_EVENT_TYPES, parseFlatXml, readOaMessage, verifyOaSignature, type OaMessage } from '../../core/identity/oa';
import { stateOf } from '../../core/identity/member';
import type { HttpRequest, HttpResponse } from '../kit/router';
import type { SystemContext } from '../kit/context';
import { inTransaction } from '../db/transaction';
import { OA_TOKEN, secretFromEnv } from '../http/secrets';
import { rootOf, type IdentityRef } from './link';
import { linkAndAttachOrders } from '../orders/attach-on-link';
import { refreshLifecycleNow } from '../lifecycle/refresh';
import type { MemberDoc } from '../members/documents';

const text = (statusCode: number, body: string): HttpResponse => ({ statusCode, headers: { 'content-type': 'text/plain; charset=utf-8' }, body });

/**
 * The brand's Official Account server URL. GET is the platform's echo check; POST carries event
 * XML. Both must carry a valid token signature, else 401 and nothing is written. Events are kept
 * on the member the follower's UnionID (or OA OpenID) leads to, or on a follower-only member.
 * The platform retries a message up to three times: the event id is derived from it, so a retry
 * is stored once. UnionID comes from a `UnionId` element when the forwarder adds it; looking it up
 * with the Official Account's own access token (user/info) is not built here.
 */
export async function oaCallback(req: HttpRequest, ctx: SystemContext): Promise<HttpResponse> {
  const token = secretFromEnv(OA_TOKEN);
  if (!token || !verifyOaSignature(token, req.query)) {
    ctx.log.warn('oa callback refused: bad signature');
    return text(401, 'invalid signature');
  }
  if (req.method === 'GET') return text(200, req.query.echostr ?? '');
  if (req.method !== 'POST') return text(405, 'method not allowed');
  const xml = parseFlatXml(req.body.toString('utf8'));
  const msg = xml ? readOaMessage(xml) : null;
  if (!msg) {
    ctx.log.warn('oa callback ignored: not a kept event', { type: xml?.MsgType ?? null, event: xml?.Event ?? null });
    // answering anything but success makes the platform retry and warn the follower
    return text(200, 'success');
  }
  await recordOaEvent(ctx, msg);
  return text(200, 'success');
}

export async function recordOaEvent(ctx: SystemContext, msg: OaMessage): Promise<string> {
  const now = ctx.now();
  const ids: IdentityRef[] = [{ type: 'oa_openid', value: msg.oaOpenid }, ...(msg.unionid ? [{ type: 'unionid' as const, value: msg.unionid }] : [])];
  const seed: Partial<MemberDoc> = { oaOpenid: msg.oaOpenid, oaFollowing: msg.event.kind !== 'unsubscribe', ...(msg.unionid ? { unionid: msg.unionid } : {}) };
  const { memberId } = await linkAndAttachOrders(ctx.db, now, ids, { via: 'oa', seed, reason: 'unionid', log: ctx.log });
  const kind = msg.event.kind;
  const eventDocId = `oa_${msg.oaOpenid}_${msg.createdAt.getTime() / 1000}_${kind}`;
  const changed = await inTransaction(ctx.db, async (tx) => {
    if ((await tx.collection('events').doc(eventDocId).get()).data) return null;
    const m = await rootOf(tx, memberId);
    if (!m) return null;
    const following = kind === 'subscribe' ? true : kind === 'unsubscribe' ? false : (m.oaFollowing ?? true);
    const patch: Record<string, unknown> = { oaFollowing: following, ...(m.oaOpenid ? {} : { oaOpenid: msg.oaOpenid }), ...(msg.unionid && !m.unionid ? { unionid: msg.unionid } : {}) };
    patch.state = stateOf({ ...m, oaFollowing: following });
    await tx.collection('members').doc(m._id).update({ data: patch });
    const { kind: _k, ...detail } = msg.event;
    void _k;
    await tx.collection('events').doc(eventDocId).set({ data: { type: OA_EVENT_TYPES[kind], memberId: m._id, at: msg.createdAt, receivedAt: now, data: detail } });
    return kind === 'subscribe' || kind === 'unsubscribe' ? m._id : null;
  });
  // Following is one of the facts the stage reads: the stage moves now, not at the nightly recompute.
  if (changed) await refreshLifecycleNow(ctx.db, changed, now, OA_EVENT_TYPES[kind]);
  return eventDocId;
}
