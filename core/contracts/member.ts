import { z } from 'zod';
import { defineAction, isoInstant } from './common';

export const memberState = z.enum(['visitor', 'follower', 'member']);

export const memberView = z.object({
  memberId: z.string(),
  state: memberState,
  firstSeenAt: isoInstant,
  lastSeenAt: isoInstant,
  isNew: z.boolean(),
});

/** Silent login: the OpenID comes from the platform context, never from this input. */
export const login = defineAction(
  z.object({
    scene: z.string().max(64).optional(),
    path: z.string().max(256).optional(),
    query: z.record(z.string(), z.string()).optional(),
  }).strict(),
  memberView,
);

export const memberContracts = { login } as const;
