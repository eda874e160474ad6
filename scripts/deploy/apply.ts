import type { DeployPlan } from './plan';
import type { DeployTooling } from './tooling';

export interface ApplyOptions {
  env?: Readonly<Record<string, string | undefined>>;
  version: string;
  desc: string;
  log?: (line: string) => void;
}

/**
 * Uploads a checked plan, in dependency order: database (collections, indexes, rules), functions
 * with their triggers, HTTP routes, and the Mini Program last so it never calls a function that is
 * not there yet. Refuses a plan with problems.
 */
export async function applyPlan(plan: DeployPlan, tooling: DeployTooling, opts: ApplyOptions): Promise<void> {
  if (plan.problems.length) throw new Error(`refusing to upload: ${plan.problems.length} problem(s) in the plan`);
  if (!plan.brand) throw new Error('refusing to upload: no valid brand configuration');
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((l: string) => console.log(l));

  for (const c of plan.database.collections) {
    const state = await tooling.ensureCollection(c.name);
    const created = await tooling.ensureIndexes(c);
    await tooling.setSecurityRule(c);
    log(
      `database ${c.name}: ${state}${created.length ? `, indexes created ${created.join(', ')}` : ''}, rule ${c.security.aclTag}`,
    );
  }
  for (const fn of plan.functions) {
    // every name the plan gives the function that is not in its config.json is a secret from this shell
    const vars: Record<string, string> = { ...fn.configEnv, NODE_ENV: 'production' };
    for (const name of fn.envVariableNames)
      if (!(name in vars) && env[name] !== undefined) vars[name] = env[name] as string;
    await tooling.deployFunction(fn, vars);
    log(`function ${fn.name}: deployed (${fn.triggers.length} trigger(s))`);
  }
  for (const r of plan.routes) log(`route ${r.path} → ${r.fn}: ${await tooling.ensureRoute(r)}`);
  if (plan.miniprogram) {
    await tooling.uploadMiniprogram({
      dir: plan.miniprogram.dir,
      appId: plan.brand.miniProgramAppId,
      version: opts.version,
      desc: opts.desc,
    });
    log(
      `mini program ${opts.version}: uploaded; set it as the trial or submit it for review in the Mini Program console`,
    );
  }
}
