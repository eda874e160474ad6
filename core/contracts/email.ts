import { z } from 'zod';
import { defineAction, isoInstant } from './common';

/**
 * The member enters an email address: a confirmation mail with a signed link goes to it; the email
 * channel uses the address only once the link is opened (double opt-in).
 */
export const setEmail = defineAction(
  z
    .object({
      email: z
        .email()
        .max(254)
        .transform((e) => e.toLowerCase()),
    })
    .strict(),
  z.object({ pending: z.string(), expiresAt: isoInstant, confirmed: z.string().nullable() }),
);

export const emailContracts = { setEmail } as const;
