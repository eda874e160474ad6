import { z } from 'zod';

/** Field shapes the event payloads share. Dates are Date when written, ISO strings once read back. */
export const instant = z.union([z.date(), z.string()]);
export const id = z.string().min(1);
export const nullableId = id.nullable();
export const fen = z.number().int();
export const points = z.number().int();

export const appointmentChange = z.object({
  appointmentId: id,
  storeId: id,
  serviceId: id,
  date: z.string(),
  start: instant,
  end: instant,
  status: z.string(),
  by: z.union([
    z.object({ kind: z.literal('member'), memberId: id }),
    z.object({ kind: z.literal('staff'), staffId: id }),
    z.object({ kind: z.literal('system') }),
  ]),
});

/** A brand text in the member's languages (a store or service name). */
export const text = z.object({ zh: z.string(), en: z.string().optional() });

export const referralReward = z.object({
  referralId: id,
  side: z.enum(['referrer', 'friend']),
  referrerId: id,
  friendId: id,
  couponId: nullableId,
  releaseAt: instant.nullable(),
  reason: z.string().nullable(),
  orderId: nullableId,
});

export const orderRef = { orderId: id, source: z.string(), orderNo: z.string() };
