import { webTrackRequest, type WebTrackRequest } from '../../core/contracts/behaviour';
import { DomainError, ErrorCodes } from '../../core/errors';
import type { SystemContext } from '../kit/context';
import { contractBody, httpError, json, jsonBody, signedEndpoint } from '../http/signed';
import { memberByIdentity, resolveMember } from '../members/resolve';
import { linkAndAttachOrders } from '../identity/attach-on-link';
import type { IdentityRef } from '../identity/link';
import { storeBehaviour, type BehaviourSubject } from './ingest';

type Visitor = WebTrackRequest['visitors'][number];

/** The identity an anonymous website visitor is known by once joined to a member. */
export const anonIdentity = (source: string, anonymousId: string): IdentityRef => ({
  type: 'external',
  value: `${source}:anon:${anonymousId}`,
});

/**
 * Who a visitor is: a visitor the site says it knows (`identities`, after a login on the site) is
 * linked to the member those ids lead to (a new visitor member when none does) and the events the
 * anonymous id collected before join them; otherwise the member the anonymous id was joined to, if any.
 */
async function subjectOf(
  ctx: SystemContext,
  source: string,
  v: Visitor,
): Promise<BehaviourSubject & { declined: boolean }> {
  const anonId = `${source}:${v.anonymousId}`;
  const anon = anonIdentity(source, v.anonymousId);
  let memberId: string | null;
  if (v.identities?.length) {
    const seedIds = v.identities.filter((i) => i.type === 'phone' || i.type === 'unionid');
    const seed = Object.fromEntries(seedIds.map((i) => [i.type, i.value]));
    const ids = [anon, ...v.identities.map((i) => ({ type: i.type, value: i.value }))];
    const opts = { via: source, reason: `web-login:${source}`, log: ctx.log, seed };
    const r = await linkAndAttachOrders(ctx.db, ctx.now(), ids, opts);
    memberId = r.memberId;
    await ctx.db.collection('behaviour').where({ anonId, memberId: null }).update({ data: { memberId } });
  } else {
    memberId = (await memberByIdentity(ctx.db, anon.type, anon.value))?._id ?? null;
  }
  const member = memberId ? await resolveMember(ctx.db, memberId) : null;
  return { memberId, anonId, via: source, declined: member?.consents?.trackingOptIn === false };
}

/**
 * `POST /http/member/track`: the brand's website, signed by its server as the brand's other systems
 * sign (server/http/signed.ts). A request without the site's statement of consent is refused whole.
 * Visitors who declined tracking in the Mini Program have their events dropped.
 */
export const webTrackEndpoint = signedEndpoint({
  handler: async (req, ctx) => {
    const raw = jsonBody(req);
    if (!raw.ok) return raw.response;
    if ((raw.data as { consent?: unknown } | null)?.consent !== true) {
      const message = 'consent: true is required: no consent, no tracking';
      return httpError(403, ErrorCodes.TRACKING_NOT_CONSENTED, message);
    }
    const parsed = contractBody(webTrackRequest, raw.data);
    if (!parsed.ok) return parsed.response;
    try {
      const batches = [];
      let declined = 0;
      for (const v of parsed.data.visitors) {
        const { declined: no, ...subject } = await subjectOf(ctx, req.source, v);
        if (no) declined += v.events.length;
        else batches.push({ subject, events: v.events });
      }
      const r = await storeBehaviour(ctx.db, ctx.now(), batches);
      return json(200, { ok: true, data: { accepted: r.accepted, dropped: r.dropped + declined } });
    } catch (e) {
      if (e instanceof DomainError) return httpError(409, e.code, e.message);
      throw e;
    }
  },
});
