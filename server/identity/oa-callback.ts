import { OA_EVENT_TYPES, oaEventData, readOaMessage, verifyOaSignature, type OaMessage } from '../../core/identity/oa';
import { parseFlatXml } from '../oa/xml';
import { stateOf } from '../../core/identity/member';
import type { HttpRequest, HttpResponse } from '../kit/router';
import type { SystemContext } from '../kit/context';
import { inTransaction } from '../db/transaction';
import { OA_TOKEN, secretFromEnv } from '../http/secrets';
import { type IdentityRef } from './link';
import { linkAndAttachOrders } from './attach-on-link';
import { refreshLifecycleNow } from '../lifecycle/refresh';
import type { MemberDoc } from '../members/documents';
import { userInfo } from '../oa';
import { answerByOaText } from '../surveys/oa-reply';
import { openCallback, sealReply } from '../oa/safe-mode';
import { memberByIdentity, resolveMemberTx } from '../members/resolve';
import { updateMemberTx } from '../members/store';

const text = (statusCode: number, body: string): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body,
});

/**
 * The brand's Official Account server URL. GET is the platform's echo check; POST carries event
 * XML. Both must carry a valid token signature, else 401 and nothing is written; a POST in safe or
 * compatible mode is opened (and its reply sealed) by `server/oa/safe-mode.ts`. Events are kept
 * on the member the follower's UnionID (or OA OpenID) leads to, or on a follower-only member.
 * The platform retries a message up to three times: the event id is derived from it, so a retry
 * is stored once. The platform's event XML carries no UnionID: it is asked from WeChat (user/info,
 * `server/oa`) until the follower's member has one; a `UnionId` element added by a forwarder is used as is.
 */
export async function oaCallback(req: HttpRequest, ctx: SystemContext): Promise<HttpResponse> {
  const token = secretFromEnv(OA_TOKEN);
  if (!token || !verifyOaSignature(token, req.query)) {
    ctx.log.warn('oa callback refused: bad signature');
    return text(401, 'invalid signature');
  }
  if (req.method === 'GET') return text(200, req.query.echostr ?? '');
  if (req.method !== 'POST') return text(405, 'method not allowed');
  const opened = openCallback(req, ctx);
  if ('refused' in opened) return opened.refused;
  const reply = (res: HttpResponse) => sealReply(opened, req, res, ctx);
  const xml = parseFlatXml(opened.xml);
  const msg = xml ? readOaMessage(xml) : null;
  if (!msg) {
    ctx.log.warn('oa callback ignored: not a kept event', { type: xml?.MsgType ?? null, event: xml?.Event ?? null });
    // answering anything but success makes the platform retry and warn the follower
    return reply(text(200, 'success'));
  }
  await recordOaEvent(ctx, msg);
  if (msg.event.kind === 'text') await answerByOaText(ctx, msg.oaOpenid, msg.event.content);
  return reply(text(200, 'success'));
}

/**
 * The follower's UnionID, asked from WeChat while the member their OA OpenID leads to has none.
 * A failure (not configured, WeChat error, timeout) only logs: the event is kept under the OA
 * OpenID and the next event of this follower asks again.
 */
async function lookupUnionid(ctx: SystemContext, oaOpenid: string): Promise<string | undefined> {
  const known = await memberByIdentity(ctx.db, 'oa_openid', oaOpenid);
  if (known?.unionid) return undefined;
  try {
    return (await userInfo({ db: ctx.db, now: ctx.now, log: ctx.log }, oaOpenid)).unionid ?? undefined;
  } catch (e) {
    const err = e as { code?: string; details?: Record<string, unknown>; message?: string };
    ctx.log.warn('oa follower unionid lookup failed: kept by OA OpenID', {
      code: err.code ?? null,
      ...(err.details ?? {}),
      error: err.code ? undefined : err.message,
    });
    return undefined;
  }
}

export async function recordOaEvent(ctx: SystemContext, msg: OaMessage): Promise<string> {
  if (!msg.unionid) {
    const unionid = await lookupUnionid(ctx, msg.oaOpenid);
    if (unionid) msg = { ...msg, unionid };
  }
  const now = ctx.now();
  const ids: IdentityRef[] = [
    { type: 'oa_openid', value: msg.oaOpenid },
    ...(msg.unionid ? [{ type: 'unionid' as const, value: msg.unionid }] : []),
  ];
  const seed: Partial<MemberDoc> = {
    oaOpenid: msg.oaOpenid,
    oaFollowing: msg.event.kind !== 'unsubscribe',
    ...(msg.unionid ? { unionid: msg.unionid } : {}),
  };
  const { memberId } = await linkAndAttachOrders(ctx.db, now, ids, {
    via: 'oa',
    seed,
    reason: 'unionid',
    log: ctx.log,
  });
  const kind = msg.event.kind;
  const eventDocId = `oa_${msg.oaOpenid}_${msg.createdAt.getTime() / 1000}_${kind}`;
  const changed = await inTransaction(ctx.db, async (tx) => {
    if ((await tx.collection('events').doc(eventDocId).get()).data) return null;
    const m = await resolveMemberTx(tx, memberId);
    if (!m) return null;
    const following = kind === 'subscribe' ? true : kind === 'unsubscribe' ? false : (m.oaFollowing ?? true);
    const patch: Record<string, unknown> = {
      oaFollowing: following,
      ...(m.oaOpenid ? {} : { oaOpenid: msg.oaOpenid }),
      ...(msg.unionid && !m.unionid ? { unionid: msg.unionid } : {}),
    };
    patch.state = stateOf({ ...m, oaFollowing: following });
    await updateMemberTx(tx, m._id, patch);
    await tx
      .collection('events')
      .doc(eventDocId)
      .set({
        data: {
          type: OA_EVENT_TYPES[kind],
          memberId: m._id,
          at: msg.createdAt,
          receivedAt: now,
          data: oaEventData(msg.event),
        },
      });
    return kind === 'subscribe' || kind === 'unsubscribe' ? m._id : null;
  });
  // Following is one of the facts the stage reads: the stage moves now, not at the nightly recompute.
  if (changed) await refreshLifecycleNow(ctx.db, changed, now, OA_EVENT_TYPES[kind]);
  return eventDocId;
}
