import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './build-functions';
import { applyPlan } from './deploy/apply';
import { formatPlan } from './deploy/plan';
import { prepareDeploy } from './deploy/prepare';
import { DeployToolingError, loadTooling } from './deploy/tooling';

/**
 * `npm run deploy [-- --dry-run] [--json] [--config path] [--version x.y.z] [--desc text] [--skip-miniprogram]`
 * Builds, checks every artefact against the platform's limits, prints the plan, then (unless
 * --dry-run) uploads with the official tooling. Exit code 1 when a check fails, 2 on bad usage.
 */
interface Args {
  dryRun: boolean;
  json: boolean;
  config?: string;
  version?: string;
  desc?: string;
  skipMiniprogram: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { dryRun: false, json: false, skipMiniprogram: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (!v) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--dry-run') args.dryRun = true;
    else if (a === '--json') args.json = true;
    else if (a === '--skip-miniprogram') args.skipMiniprogram = true;
    else if (a === '--config') args.config = value();
    else if (a === '--version') args.version = value();
    else if (a === '--desc') args.desc = value();
    else throw new Error(`unknown option ${a}`);
  }
  return args;
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`deploy: ${(e as Error).message}`);
    return 2;
  }
  const plan = prepareDeploy({
    dryRun: args.dryRun,
    ...(args.config ? { brandConfigPath: args.config } : {}),
    ...(args.skipMiniprogram ? { buildMiniprogram: null } : {}),
  });
  console.log(args.json ? JSON.stringify(plan, null, 2) : formatPlan(plan));
  if (plan.problems.length) return 1;
  if (args.dryRun || !plan.brand) return 0;
  try {
    const tooling = loadTooling({ envId: plan.brand.cloudbaseEnvId });
    const version =
      args.version ?? (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    await applyPlan(plan, tooling, {
      version,
      desc: args.desc ?? `deploy ${new Date().toISOString()}`,
      log: (l) => console.error(l),
    });
    return 0;
  } catch (e) {
    console.error(e instanceof DeployToolingError ? `deploy: ${e.message}` : e);
    return 1;
  }
}

main().then((code) => process.exit(code));
