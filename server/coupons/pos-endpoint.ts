import { z } from 'zod';
import { DomainError, ErrorCodes } from '../../core/errors';
import { requestId } from '../../core/contracts/points';
import { httpError, httpRouter, json, parsedBody, signedEndpoint } from '../http/signed';
import type { SystemContext } from '../kit/context';
import { inTransaction } from '../db/transaction';
import { readDoc } from '../db/documents';
import { identityId, type IdentityDoc, type IdentityType } from '../members/documents';
import { adjustPoints } from '../points/adjust';
import { redeemCoupon } from './redeem';
import { systemActor } from '../audit';

/** POS and e-commerce name the member by our id or by one of its identities (phone, external id…). */
const memberRef = z.union([
  z.object({ memberId: z.string().min(1).max(64) }).strict(),
  z
    .object({
      identity: z
        .object({ type: z.enum(['phone', 'unionid', 'external', 'card']), value: z.string().min(1).max(128) })
        .strict(),
    })
    .strict(),
]);

export const posAdjustRequest = z
  .object({
    member: memberRef,
    delta: z
      .number()
      .int()
      .refine((d) => d !== 0 && Math.abs(d) <= 1_000_000),
    reason: z.string().trim().min(2).max(200),
    requestId,
  })
  .strict();
export const posRedeemRequest = z
  .object({
    code: z.string().min(1).max(40),
    storeId: z.string().min(1).max(64),
    orderAmountFen: z.number().int().min(0).max(1e10),
    member: memberRef.optional(),
  })
  .strict();

async function memberIdOf(ctx: SystemContext, ref: z.infer<typeof memberRef>): Promise<string> {
  if ('memberId' in ref) return ref.memberId;
  const found = await readDoc<IdentityDoc>(
    ctx.db,
    'identities',
    identityId(ref.identity.type as IdentityType, ref.identity.value),
  );
  if (!found) throw new DomainError(ErrorCodes.NOT_FOUND, '会员不存在', { identity: ref.identity.type });
  return found.memberId;
}

const domain = async (work: () => Promise<unknown>) => {
  try {
    return json(200, { ok: true, data: await work() });
  } catch (e) {
    if (e instanceof DomainError) return httpError(e.code === ErrorCodes.NOT_FOUND ? 404 : 409, e.code, e.message);
    throw e;
  }
};

/**
 * Signed server-to-server access for POS and e-commerce (seed 004), with the shared request signing:
 *  POST /http/pos/points/adjust   { member, delta, reason, requestId }   idempotent by source + requestId
 *  POST /http/pos/coupons/redeem  { code, storeId, orderAmountFen, member? }   once per coupon
 * Both are audited with the source as the actor.
 */
export const posEndpoints = httpRouter({
  'POST /http/pos/points/adjust': signedEndpoint({
    handler: async (req, ctx) => {
      const parsed = parsedBody(posAdjustRequest, req);
      if (!parsed.ok) return parsed.response;
      const b = parsed.data;
      return domain(async () => {
        const memberId = await memberIdOf(ctx, b.member);
        const now = ctx.now();
        return inTransaction(ctx.db, (tx) =>
          adjustPoints(tx, {
            memberId,
            delta: b.delta,
            reason: b.reason,
            key: `adjust:${req.source}:${b.requestId}`,
            source: req.source,
            who: systemActor(req.source),
            now,
          }),
        );
      });
    },
  }),
  'POST /http/pos/coupons/redeem': signedEndpoint({
    handler: async (req, ctx) => {
      const parsed = parsedBody(posRedeemRequest, req);
      if (!parsed.ok) return parsed.response;
      const b = parsed.data;
      return domain(async () => {
        const memberId = b.member ? await memberIdOf(ctx, b.member) : undefined;
        return redeemCoupon(
          ctx.db,
          { code: b.code, storeId: b.storeId, orderAmountFen: b.orderAmountFen, ...(memberId ? { memberId } : {}) },
          { actor: systemActor(req.source) },
          ctx.now(),
        );
      });
    },
  }),
});

/** The routes to add to server/db/routes.ts (HTTP access service: path → function). */
export const posRoutes = [
  { path: '/http/pos/points/adjust', fn: 'coupons' },
  { path: '/http/pos/coupons/redeem', fn: 'coupons' },
];
