import type { Problem, PackageSize } from './checks';
import { DATABASE_SETUP_STEPS, type PlannedCollection } from './database';
import { PLATFORM_LIMITS, formatBytes } from './limits';

/** Everything `npm run deploy` would do, in order; `--dry-run` prints it and stops. */
export interface PlannedTrigger {
  fn: string;
  name: string;
  type: 'timer';
  cron: string;
}

export interface PlannedFunction {
  name: string;
  timeout: number;
  memorySize?: number;
  triggers: PlannedTrigger[];
  openapi: string[];
  /** Variables from the function's config.json (in the repo, so never secret). */
  configEnv: Record<string, string>;
  /** Every variable the function gets: config.json's, NODE_ENV and order-sync secrets (names only). */
  envVariableNames: string[];
  rawBytes: number;
  zipBytes: number;
  /** Folder that is zipped and uploaded. */
  dir: string;
}

export interface PlannedSecret {
  source: string;
  env: string;
  /** Set in the environment of the operator running deploy. */
  present: boolean;
  /** `<env>_PREVIOUS` is set too: a rotation is under way and both secrets are shipped. */
  rotating: boolean;
  /** Functions that receive it as an environment variable: the targets of HTTP routes. */
  functions: string[];
}

export interface DeployPlan {
  dryRun: boolean;
  brand: {
    name: { zh: string; en: string };
    source: string;
    cloudbaseEnvId: string;
    miniProgramAppId: string;
    officialAccountAppId: string | null;
    timeZone: string;
  } | null;
  functions: PlannedFunction[];
  triggers: PlannedTrigger[];
  routes: { path: string; fn: string }[];
  database: { steps: readonly string[]; collections: PlannedCollection[] };
  miniprogram: { dir: string; packages: PackageSize[]; totalBytes: number; uploadKeyEnv: 'MP_UPLOAD_KEY_PATH' } | null;
  secrets: PlannedSecret[];
  warnings: string[];
  problems: Problem[];
}

export const databasePlan = (collections: PlannedCollection[]) => ({ steps: DATABASE_SETUP_STEPS, collections });

/** The plan as text for a person: what will be uploaded, created and set, then warnings and problems. */
export function formatPlan(plan: DeployPlan): string {
  const lines: string[] = [];
  const b = plan.brand;
  lines.push(
    `${plan.dryRun ? 'DRY RUN — nothing is uploaded' : 'DEPLOY'}${b ? `: ${b.name.zh} / ${b.name.en} → CloudBase ${b.cloudbaseEnvId}, Mini Program ${b.miniProgramAppId}` : ''}`,
  );
  if (b)
    lines.push(
      `  brand config ${b.source}, time zone ${b.timeZone}${b.officialAccountAppId ? `, Official Account ${b.officialAccountAppId}` : ''}`,
    );
  lines.push('', `1. Database set-up (idempotent), ${plan.database.collections.length} collections`);
  plan.database.steps.forEach((s) => lines.push(`   - ${s}`));
  for (const c of plan.database.collections) {
    const rule = `${c.security.aclTag} (client read ${c.security.clientRead ? 'yes' : 'no'}, client write ${c.security.clientWrite ? 'yes' : 'no'})`;
    lines.push(`   ${c.name.padEnd(20)} ${rule}`);
    c.indexes.forEach((ix) =>
      lines.push(`     index ${ix.name} (${ix.fields.join(', ')})${ix.unique ? ' unique' : ''}`),
    );
  }
  lines.push(
    '',
    `2. Cloud functions (${plan.functions.length}), zip limit ${formatBytes(PLATFORM_LIMITS.functionZipBytes)} each`,
  );
  for (const f of plan.functions) {
    lines.push(
      `   ${f.name.padEnd(20)} zip ${formatBytes(f.zipBytes)} (files ${formatBytes(f.rawBytes)}), timeout ${f.timeout} s${f.openapi.length ? `, openapi ${f.openapi.join(' ')}` : ''}`,
    );
    if (f.envVariableNames.length) lines.push(`     env ${f.envVariableNames.join(', ')}`);
  }
  lines.push('', `3. Timer triggers (${plan.triggers.length})`);
  plan.triggers.forEach((t) => lines.push(`   ${t.fn}/${t.name}  ${t.cron}`));
  lines.push('', `4. HTTP access routes (${plan.routes.length})`);
  plan.routes.forEach((r) => lines.push(`   ${r.path} → ${r.fn}`));
  for (const s of plan.secrets) {
    lines.push(
      `   secret ${s.env} (order sync ${s.source}): ${s.present ? 'set' : 'NOT SET'}${s.rotating ? ' (+ _PREVIOUS, rotating)' : ''} → ${s.functions.length ? s.functions.join(', ') : 'no function yet'}`,
    );
  }
  const mp = plan.miniprogram;
  lines.push('', '5. Mini Program upload (miniprogram-ci, key from MP_UPLOAD_KEY_PATH)');
  if (mp) {
    mp.packages.forEach((p) =>
      lines.push(
        `   ${p.name.padEnd(20)} ${formatBytes(p.bytes)} (limit ${formatBytes(PLATFORM_LIMITS.packageBytes)})`,
      ),
    );
    lines.push(`   total ${formatBytes(mp.totalBytes)} (limit ${formatBytes(PLATFORM_LIMITS.totalPackagesBytes)})`);
  } else lines.push('   (not built)');
  if (plan.warnings.length) lines.push('', 'Warnings:', ...plan.warnings.map((w) => `  - ${w}`));
  lines.push(
    '',
    plan.problems.length ? `FAILED: ${plan.problems.length} problem(s), nothing uploaded:` : 'All checks passed.',
  );
  plan.problems.forEach((p) => lines.push(`  ✗ [${p.check}] ${p.message}`));
  return lines.join('\n');
}
