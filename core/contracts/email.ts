import { z } from 'zod';
import { defineAction, isoInstant } from './common';

export const emailErrors = {
  /** the confirmation link was altered or is not one of ours */
  EMAIL_LINK_INVALID: 'EMAIL_LINK_INVALID',
  /** the confirmation link is past its 48 hours */
  EMAIL_LINK_EXPIRED: 'EMAIL_LINK_EXPIRED',
  /** a newer address was entered since this link was sent */
  EMAIL_LINK_STALE: 'EMAIL_LINK_STALE',
  /** a confirmation mail went out less than a minute ago */
  EMAIL_TOO_SOON: 'EMAIL_TOO_SOON',
} as const;

/**
 * The member enters an email address: a confirmation mail with a signed link goes to it; the email
 * channel uses the address only once the link is opened (double opt-in).
 */
export const setEmail = defineAction(
  z.object({ email: z.email().max(254).transform((e) => e.toLowerCase()) }).strict(),
  z.object({ pending: z.string(), expiresAt: isoInstant, confirmed: z.string().nullable() }),
);

export const emailContracts = { setEmail } as const;
