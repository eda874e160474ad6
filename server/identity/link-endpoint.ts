import { linkRequest } from '../../core/contracts/member';
import { DomainError } from '../../core/errors';
import { httpError, json, parsedBody, signedEndpoint } from '../http/signed';
import { linkAndAttachOrders } from './attach-on-link';
import type { IdentityRef } from './link';

/**
 * `POST /http/member/link`: an external system (POS, shop, Wi-Fi) says its customer `externalId`
 * is the person behind these IDs. The external id becomes an identity `external:<source>:<id>`;
 * IDs that lead to different members merge them.
 */
const seedOf = (ids: { type: string; value: string }[]) => {
  const phone = ids.find((i) => i.type === 'phone')?.value;
  const unionid = ids.find((i) => i.type === 'unionid')?.value;
  return { ...(phone ? { phone } : {}), ...(unionid ? { unionid } : {}) };
};

export const linkEndpoint = signedEndpoint({
  handler: async (req, ctx) => {
    const parsed = parsedBody(linkRequest, req);
    if (!parsed.ok) return parsed.response;
    const b = parsed.data;
    if (b.source !== req.source) return httpError(400, 'SOURCE_MISMATCH', 'body source differs from the signed source');
    const ids: IdentityRef[] = [
      { type: 'external', value: `${b.source}:${b.externalId}` },
      ...b.identities.map((i) => ({ type: i.type, value: i.value })),
    ];
    try {
      const r = await linkAndAttachOrders(ctx.db, ctx.now(), ids, {
        via: b.source,
        reason: `link:${b.source}`,
        log: ctx.log,
        seed: seedOf(b.identities),
      });
      return json(200, { ok: true, data: r });
    } catch (e) {
      if (e instanceof DomainError) return httpError(409, e.code, e.message);
      throw e;
    }
  },
});
