import { z } from 'zod';
import { DomainError, ErrorCodes } from '../errors';
import { pointsRulesSchema } from '../ledger/rules';
import { ORDER_CHANNELS, type OrderChannel } from '../orders/schema';
import { lifecycleConfigSchema } from '../lifecycle/config';
import { DEFAULT_MESSAGING_PREFS } from '../messaging/prefs';
import { DEFAULT_TIME_ZONE } from '../time';
import { tierConfigSchema } from '../tiers/config';
import { MESSAGE_TYPES } from './messages';
import { joinRewardsSchema } from './join-rewards';

/**
 * One brand's configuration: everything that differs between brands, validated in one place.
 * Secrets are never part of it: an order-sync source names the environment variable that holds
 * its secret, and the server reads the value from the environment.
 */

const wechatAppId = z.string().regex(/^wx[0-9a-f]{16}$/, 'expected a WeChat appid: wx followed by 16 hex digits');
const templateId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{10,64}$/, 'expected a subscription template id from the Mini Program console');
const envVarName = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/, 'expected an environment variable name like ORDER_SYNC_SECRET_POS');
const isOrderChannel = (name: string): boolean => (ORDER_CHANNELS as readonly string[]).includes(name);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:mm');

export function isIanaTimeZone(tz: string): boolean {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const subscriptionTemplatesSchema = z
  .object(
    Object.fromEntries(MESSAGE_TYPES.map((t) => [t, templateId])) as Record<
      (typeof MESSAGE_TYPES)[number],
      typeof templateId
    >,
  )
  .strict();

export const orderSyncSourceSchema = z
  .object({
    /** Lower-case id used in the sync URL and in `ORDER_SYNC_SECRET_<NAME>`. */
    name: z.string().regex(/^[a-z][a-z0-9_]{1,31}$/, 'expected a lower-case id like pos or tmall'),
    label: z.string().min(1).optional(),
    /** The NAME of the environment variable holding the HMAC secret; defaults to ORDER_SYNC_SECRET_<NAME>. */
    secretEnv: envVarName.optional(),
    /** The kind of channel its orders come from (channel tags, lifecycle); defaults to the name when that is a kind. */
    channel: z.enum(ORDER_CHANNELS).optional(),
    /** Signed requests older or newer than this are refused (replay window). */
    maxClockSkewSeconds: z.number().int().min(30).max(3600).default(300),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (!s.channel && !isOrderChannel(s.name)) {
      const message = `name the channel kind of "${s.name}": one of ${ORDER_CHANNELS.join(', ')}`;
      ctx.addIssue({ code: 'custom', path: ['channel'], message });
    }
  })
  .transform((s) => ({
    ...s,
    channel: s.channel ?? (s.name as OrderChannel),
    secretEnv: s.secretEnv ?? `ORDER_SYNC_SECRET_${s.name.toUpperCase()}`,
  }));

export const messagingDefaultsSchema = z
  .object({
    capPerDay: z.number().int().min(0).nullable().default(DEFAULT_MESSAGING_PREFS.capPerDay),
    capPerWeek: z.number().int().min(0).nullable().default(DEFAULT_MESSAGING_PREFS.capPerWeek),
    quietHours: z.object({ start: hhmm, end: hhmm }).strict().nullable().default(DEFAULT_MESSAGING_PREFS.quietHours),
  })
  .strict();

/**
 * How long rows about members are kept before the retention timer purges or pseudonymises them
 * (docs/privacy.md; the privacy policy the Mini Program shows states the same periods).
 */
export const DEFAULT_RETENTION_DAYS = { events: 730, outbox: 180, audit: 1095, behaviour: 180 } as const;
const retentionDays = (d: number) => z.number().int().min(30).max(3650).default(d);
export const privacySchema = z
  .object({
    retentionDays: z
      .object({
        /** events (what happened to a member): purged after this many days */
        events: retentionDays(DEFAULT_RETENTION_DAYS.events),
        /** outbox rows (messages sent or not, with the WeChat send result): purged once finished and this old */
        outbox: retentionDays(DEFAULT_RETENTION_DAYS.outbox),
        /** audit rows: pseudonymised (who, target, before and after removed) after this many days */
        audit: retentionDays(DEFAULT_RETENTION_DAYS.audit),
        /** behaviour rows (views, cart additions, shares, searches): purged after this many days */
        behaviour: retentionDays(DEFAULT_RETENTION_DAYS.behaviour),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type PrivacyConfig = z.output<typeof privacySchema>;

/** Behaviour data: when a cart counts as abandoned (a cart addition with no paid order for this many hours). */
export const behaviourSchema = z.object({ cartAbandonmentHours: z.number().int().min(1).max(168).default(4) }).strict();

const DEFAULT_TIERS = { tiers: [{ id: 'member', name: { zh: '会员', en: 'Member' }, threshold: 0 }] };

export const brandConfigSchema = z
  .object({
    name: z.object({ zh: z.string().min(1).max(40), en: z.string().min(1).max(80) }).strict(),
    timeZone: z
      .string()
      .refine(isIanaTimeZone, 'expected an IANA time zone such as Asia/Shanghai')
      .default(DEFAULT_TIME_ZONE),
    miniProgram: z.object({ appId: wechatAppId }).strict(),
    officialAccount: z.object({ appId: wechatAppId }).strict().optional(),
    cloudbase: z
      .object({
        envId: z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/, 'expected a CloudBase environment id like prod-1a2b3c'),
      })
      .strict(),
    subscriptionTemplates: subscriptionTemplatesSchema,
    points: pointsRulesSchema.prefault({}),
    joinRewards: joinRewardsSchema.prefault({}),
    tiers: tierConfigSchema.prefault(DEFAULT_TIERS),
    lifecycle: lifecycleConfigSchema.prefault({}),
    messaging: messagingDefaultsSchema.prefault({}),
    orderSync: z
      .object({ sources: z.array(orderSyncSourceSchema).default([]) })
      .strict()
      .prefault({})
      .superRefine((o, ctx) => {
        const seen = new Map<string, number>();
        o.sources.forEach((s, i) => {
          if (seen.has(s.name))
            ctx.addIssue({ code: 'custom', path: ['sources', i, 'name'], message: `duplicate source "${s.name}"` });
          seen.set(s.name, i);
        });
        const envs = o.sources.map((s) => s.secretEnv);
        envs.forEach((e, i) => {
          if (envs.indexOf(e) !== i)
            ctx.addIssue({
              code: 'custom',
              path: ['sources', i, 'secretEnv'],
              message: `${e} is already the secret of another source`,
            });
        });
      }),
    privacy: privacySchema.prefault({}),
    behaviour: behaviourSchema.prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    const tiers = new Set(c.tiers.tiers.map((t) => t.id));
    for (const id of Object.keys(c.points.tierMultipliers)) {
      if (tiers.has(id)) continue;
      const path = ['points', 'tierMultipliers', id];
      ctx.addIssue({ code: 'custom', path, message: `no tier "${id}" in tiers.tiers` });
    }
  });

export type BrandConfig = z.output<typeof brandConfigSchema>;

const SECRET_LIKE = /secret|password|token|privatekey|apikey/i;

/** One line per problem, each starting with the field path: `subscriptionTemplates.welcome: required`. */
export function formatConfigIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((iss) => {
    const at = iss.path.map(String);
    if (iss.code === 'unrecognized_keys') {
      return iss.keys.map((k) => {
        const path = [...at, k].join('.');
        return SECRET_LIKE.test(k)
          ? `${path}: secrets never go in the brand config; put the value in an environment variable and name it (e.g. secretEnv)`
          : `${path}: unknown field`;
      });
    }
    return [`${at.length ? at.join('.') : '(root)'}: ${iss.message}`];
  });
}

const requiredWhenMissing = (iss: z.core.$ZodRawIssue): string | undefined =>
  iss.code === 'invalid_type' && iss.input === undefined ? 'required' : undefined;

export type BrandConfigResult = { ok: true; config: BrandConfig } | { ok: false; problems: string[] };

export function checkBrandConfig(input: unknown): BrandConfigResult {
  const parsed = brandConfigSchema.safeParse(input, { error: requiredWhenMissing });
  return parsed.success
    ? { ok: true, config: parsed.data }
    : { ok: false, problems: formatConfigIssues(parsed.error.issues) };
}

/** Parses a brand configuration; throws BRAND_CONFIG_INVALID naming every bad field. */
export function parseBrandConfig(input: unknown, source = 'brand config'): BrandConfig {
  const r = checkBrandConfig(input);
  if (r.ok) return r.config;
  throw new DomainError(ErrorCodes.BRAND_CONFIG_INVALID, `${source} is invalid:\n  ${r.problems.join('\n  ')}`, {
    problems: r.problems,
  });
}
