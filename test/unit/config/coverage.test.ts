import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signedHeaders } from '../../../core/signing/hmac';
import { ROOT } from '../../../scripts/build-functions';
import { prepareDeploy } from '../../../scripts/deploy/prepare';
import { reminderTemplateId } from '../../../server/appointments/catalogue';
import { loadBrandConfig, readBrandConfig, resetBrandConfigCache } from '../../../server/config/load';
import { channelOfSource, configuredSource, labelOfSource } from '../../../server/http/sources';
import { checkSignature } from '../../../server/http/signed';
import { devSecret } from '../../../server/http/secrets';
import { joinRewardsFor } from '../../../server/join-rewards/rewards';
import { oaCredentials } from '../../../server/oa/config';
import { valueRules } from '../../../server/points/brand';
import { creditExpiry, earnPlanFor } from '../../../server/points/earn';
import { tierProgressOf } from '../../../server/points/views';
import { tierDecisionOf } from '../../../server/tiers/apply';
import { retentionPlan } from '../../../core/members/retention';
import { cartDueAt } from '../../../server/behaviour/cart';

/**
 * The rule for config/brand.example.json: every field has a case here that changes it and sees
 * the product behave differently, through the code that reads it (the server's readers, deploy's
 * plan). A field nothing reads has no case to write: it is removed from the schema instead.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each case edits a different field of the parsed example
type Config = any;
interface Case {
  change: (c: Config) => void;
  /** What the product does under a configuration (the configuration file is `file`). */
  observe: (file: string) => unknown;
}

const EXAMPLE = JSON.parse(readFileSync(join(ROOT, 'config', 'brand.example.json'), 'utf8'));
const T = new Date('2026-12-31T17:00:00Z'); // 01:00 on 1 January in Shanghai, still 31 December in London
const dir = mkdtempSync(join(tmpdir(), 'brand-coverage-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  delete process.env.BRAND_CONFIG;
  resetBrandConfigCache();
});

/** Every leaf of a JSON value as a dotted path (array items by index; empty objects and nulls are leaves). */
function leafPaths(v: unknown, at = ''): string[] {
  if (v === null || typeof v !== 'object' || Object.keys(v).length === 0) return [at];
  return Object.entries(v).flatMap(([k, x]) => leafPaths(x, at ? `${at}.${k}` : k));
}

/** What the retention timer would purge or pseudonymise now: each collection's cut-off, from the loaded brand. */
const retentionCutoffs = () =>
  retentionPlan(loadBrandConfig().config.privacy, T).map((s) => `${s.collection} < ${s.before.toISOString()}`);
const nothingBuilt = { buildFunctions: () => [], buildMiniprogram: null };
const deployPlan = (file: string) =>
  prepareDeploy({ dryRun: true, brandConfigPath: file, stageDir: join(dir, 'stage'), env: {}, ...nothingBuilt });
const templateProblems = (file: string) =>
  deployPlan(file)
    .problems.filter((p) => p.check === 'template')
    .map((p) => p.subject);
const earn = (amountFen: number, tier?: string) => earnPlanFor(amountFen, tier, T);
const signedAt = (secret: string, secondsAgo: number) => {
  const body = '{"orders":[]}';
  const at = new Date(T.getTime() - secondsAgo * 1000);
  const path = '/http/orders/sync';
  const headers = signedHeaders(secret, 'pos', { method: 'POST', path, nonce: 'coverage-nonce', body, at });
  return { method: 'POST', path, headers, query: {}, body: Buffer.from(body) };
};
const progressWith = (tierDays: { day: string; points: number; spendFen: number }[]) =>
  tierProgressOf({ tierDays }, valueRules(), T).value;
const withGold = (file: string) => {
  const c = JSON.parse(readFileSync(file, 'utf8'));
  c.tiers.tiers.push({ id: 'gold', name: { zh: '金卡', en: 'Gold' }, threshold: 1000 });
  writeFileSync(file, JSON.stringify(c));
  resetBrandConfigCache();
};
const joinedVia = {
  referral: { referredBy: 'm_friend' },
  advisor: { attribution: { first: { storeId: 's1', advisorId: 'a1' } } },
  storeQr: { attribution: { first: { storeId: 's1' } } },
  none: {},
} as const;

const templateCase = (type: string): Case => ({
  change: (c) => {
    c.subscriptionTemplates[type] = `tmpl_${type}_0001`;
  },
  observe: (file) => [templateProblems(file), type === 'appointmentReminder' ? reminderTemplateId() : null],
});

const TEMPLATE_CASES = Object.keys(EXAMPLE.subscriptionTemplates).map((t) => [
  `subscriptionTemplates.${t}`,
  templateCase(t),
]);

const CASES: Record<string, Case> = {
  'name.zh': {
    change: (c) => {
      c.name.zh = '另一个品牌';
    },
    observe: (f) => deployPlan(f).brand?.name,
  },
  'name.en': {
    change: (c) => {
      c.name.en = 'Another Brand';
    },
    observe: (f) => deployPlan(f).brand?.name,
  },
  timeZone: {
    change: (c) => {
      c.timeZone = 'Europe/London';
    },
    observe: () => creditExpiry(T).toISOString(),
  },
  'miniProgram.appId': {
    change: (c) => {
      c.miniProgram.appId = 'wx1111111111111111';
    },
    observe: (f) => deployPlan(f).brand?.miniProgramAppId,
  },
  'officialAccount.appId': {
    change: (c) => {
      c.officialAccount.appId = 'wx2222222222222222';
    },
    observe: () => oaCredentials({ OA_APP_SECRET: 'oa-secret' }).appId,
  },
  'cloudbase.envId': {
    change: (c) => {
      c.cloudbase.envId = 'prod-1a2b3c';
    },
    observe: (f) => deployPlan(f).brand?.cloudbaseEnvId,
  },
  ...Object.fromEntries(TEMPLATE_CASES),
  'points.pointsPerRmb': {
    change: (c) => {
      c.points.pointsPerRmb = 2;
    },
    observe: () => earn(12_345).points,
  },
  'points.rounding': {
    change: (c) => {
      c.points.rounding = 'ceil';
    },
    observe: () => earn(12_345).points,
  },
  'points.expiry.kind': {
    change: (c) => {
      c.points.expiry = { kind: 'days', days: 30 };
    },
    observe: () => earn(12_345).expiresAt.toISOString(),
  },
  'points.tierMultipliers': {
    change: (c) => {
      c.points.tierMultipliers = { member: 2 };
    },
    observe: () => earn(10_000, 'member').points,
  },
  'joinRewards.points': {
    change: (c) => {
      c.joinRewards.points = 100;
    },
    observe: () => joinRewardsFor({}).points,
  },
  ...Object.fromEntries(
    Object.entries(joinedVia).map(([kind, facts]) => [
      `joinRewards.coupons.${kind}`,
      {
        change: (c: Config) => {
          c.joinRewards.coupons[kind] = 'tpl_welcome';
        },
        observe: () => joinRewardsFor(facts).couponTemplateId,
      },
    ]),
  ),
  'tiers.basis': {
    change: (c) => {
      c.tiers.basis = 'spend';
    },
    observe: () => progressWith([{ day: '2026-12-20', points: 10, spendFen: 99_000 }]),
  },
  'tiers.windowDays': {
    change: (c) => {
      c.tiers.windowDays = 30;
    },
    observe: () => progressWith([{ day: '2026-09-01', points: 10, spendFen: 0 }]),
  },
  'tiers.downgrade.mode': {
    change: (c) => {
      c.tiers.downgrade = { mode: 'rolling' };
    },
    observe: (f) => {
      withGold(f);
      const goldSince2025 = { tier: 'gold', tierSince: new Date('2025-01-01T00:00:00Z'), tierDays: [] };
      return tierDecisionOf(goldSince2025, valueRules(), T).decision.tier.id;
    },
  },
  'tiers.tiers.0.id': {
    change: (c) => {
      c.tiers.tiers[0].id = 'classic';
    },
    observe: () => tierDecisionOf({}, valueRules(), T).decision.tier.id,
  },
  'tiers.tiers.0.name.zh': {
    change: (c) => {
      c.tiers.tiers[0].name.zh = '普通会员';
    },
    observe: () => tierProgressOf({}, valueRules(), T).current.name,
  },
  'tiers.tiers.0.name.en': {
    change: (c) => {
      c.tiers.tiers[0].name.en = 'Classic';
    },
    observe: () => tierProgressOf({}, valueRules(), T).current.name,
  },
  'tiers.tiers.0.threshold': {
    change: (c) => {
      c.tiers.tiers[0].threshold = 10;
    },
    observe: () => valueRules().tiers.tiers[0],
  },
  'orderSync.sources.0.name': {
    change: (c) => {
      c.orderSync.sources[0].name = 'till';
    },
    observe: () => [configuredSource('pos')?.name, configuredSource('till')?.name],
  },
  'orderSync.sources.0.label': {
    change: (c) => {
      c.orderSync.sources[0].label = '收银台';
    },
    observe: () => labelOfSource('pos'),
  },
  'orderSync.sources.0.channel': {
    change: (c) => {
      c.orderSync.sources[0].channel = 'shop';
    },
    observe: () => channelOfSource('pos'),
  },
  'orderSync.sources.0.secretEnv': {
    change: (c) => {
      c.orderSync.sources[0].secretEnv = 'POS_HMAC';
    },
    observe: (file) => {
      const secrets = { ORDER_SYNC_SECRET_POS: 'pos-secret', POS_HMAC: 'other-secret' };
      const env = { BRAND_CONFIG: file, NODE_ENV: 'production', ...secrets };
      const source = configuredSource('pos', readBrandConfig({ env }), env);
      return source && checkSignature(source, signedAt('pos-secret', 0), T);
    },
  },
  'orderSync.sources.0.maxClockSkewSeconds': {
    change: (c) => {
      c.orderSync.sources[0].maxClockSkewSeconds = 60;
    },
    observe: () => checkSignature(configuredSource('pos')!, signedAt(devSecret('ORDER_SYNC_SECRET_POS'), 120), T),
  },
  'privacy.retentionDays.events': {
    change: (c) => {
      c.privacy.retentionDays.events = 90;
    },
    observe: () => retentionCutoffs(),
  },
  'privacy.retentionDays.outbox': {
    change: (c) => {
      c.privacy.retentionDays.outbox = 30;
    },
    observe: () => retentionCutoffs(),
  },
  'privacy.retentionDays.audit': {
    change: (c) => {
      c.privacy.retentionDays.audit = 365;
    },
    observe: () => retentionCutoffs(),
  },
  'privacy.retentionDays.behaviour': {
    change: (c) => {
      c.privacy.retentionDays.behaviour = 60;
    },
    observe: () => retentionCutoffs(),
  },
  'behaviour.cartAbandonmentHours': {
    change: (c) => {
      c.behaviour.cartAbandonmentHours = 24;
    },
    observe: () => cartDueAt(T).toISOString(),
  },
};

/** What the product does under `config`, written to the file the loader reads; a refused configuration is its error. */
function behaviourUnder(config: Config, observe: Case['observe']): unknown {
  const file = join(dir, `brand-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config));
  process.env.BRAND_CONFIG = file;
  resetBrandConfigCache();
  try {
    return observe(file);
  } catch (e) {
    return { refused: (e as { code?: string }).code ?? (e as Error).message };
  }
}

test('every field of config/brand.example.json has a case, and every case a field', () => {
  const fields = leafPaths(EXAMPLE).sort();
  expect(fields.filter((f) => !CASES[f])).toEqual([]);
  expect(Object.keys(CASES).filter((k) => !fields.includes(k))).toEqual([]);
});

test.each(leafPaths(EXAMPLE))('%s: changed → the product behaves differently', (field) => {
  const c = CASES[field];
  if (!c) throw new Error(`no case for ${field}`);
  const changed = structuredClone(EXAMPLE);
  c.change(changed);
  const before = behaviourUnder(structuredClone(EXAMPLE), c.observe);
  const after = behaviourUnder(changed, c.observe);
  expect(before).not.toEqual({ refused: expect.anything() });
  expect(after).not.toEqual(before);
});
