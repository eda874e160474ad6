import { TEMPLATE_PLACEHOLDER } from '../../core/config/messages';
import { functionConfigSchema } from '../../emulator/functions/config';
import { validateCron } from '../../emulator/functions/cron';
import type { CollectionDeclaration } from '../../server/db/schema';
import { PLATFORM_LIMITS, formatBytes } from './limits';

/**
 * Pre-upload checks. Each takes its inputs as parameters and returns the problems it found, so
 * deploy can gather them all and the tests can feed bad inputs. An empty list means "fine".
 */
export type CheckName =
  | 'brand-config'
  | 'build'
  | 'package-size'
  | 'function-bundle'
  | 'function-config'
  | 'timeout'
  | 'cron'
  | 'index'
  | 'security-rule'
  | 'template'
  | 'route'
  | 'secret';

export interface Problem {
  check: CheckName;
  /** What it is about: a function, package, collection, route or message type. */
  subject: string;
  message: string;
}

const problem = (check: CheckName, subject: string, message: string): Problem => ({ check, subject, message });

export interface PackageSize {
  name: string;
  bytes: number;
}

export function checkPackageSizes(packages: readonly PackageSize[], limits = PLATFORM_LIMITS): Problem[] {
  const out = packages
    .filter((p) => p.bytes > limits.packageBytes)
    .map((p) =>
      problem(
        'package-size',
        p.name,
        `Mini Program package ${p.name} is ${formatBytes(p.bytes)}, over the ${formatBytes(limits.packageBytes)} limit per package`,
      ),
    );
  const total = packages.reduce((s, p) => s + p.bytes, 0);
  if (total > limits.totalPackagesBytes) {
    out.push(
      problem(
        'package-size',
        'all packages',
        `Mini Program packages total ${formatBytes(total)}, over the ${formatBytes(limits.totalPackagesBytes)} limit for all packages`,
      ),
    );
  }
  return out;
}

export function checkFunctionBundles(
  bundles: readonly { name: string; zipBytes: number }[],
  limits = PLATFORM_LIMITS,
): Problem[] {
  return bundles
    .filter((b) => b.zipBytes > limits.functionZipBytes)
    .map((b) =>
      problem(
        'function-bundle',
        b.name,
        `function ${b.name} zips to ${formatBytes(b.zipBytes)}, over the ${formatBytes(limits.functionZipBytes)} code upload limit`,
      ),
    );
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Each function's raw `config.json`: schema, timeout within 1–900 s, 7-field timer crons, unique trigger names. */
export function checkFunctionConfigs(
  fns: readonly { name: string; config: unknown }[],
  limits = PLATFORM_LIMITS,
): Problem[] {
  const out: Problem[] = [];
  for (const { name, config } of fns) {
    const raw = isRecord(config) ? config : {};
    const parsed = functionConfigSchema.safeParse(config ?? {});
    for (const iss of parsed.success ? [] : parsed.error.issues) {
      const path = iss.path.join('.');
      if (path === 'timeout') {
        out.push(
          problem(
            'timeout',
            name,
            `function ${name}: timeout ${JSON.stringify(raw.timeout)} s is outside ${limits.timeoutSeconds.min}–${limits.timeoutSeconds.max} s (whole seconds)`,
          ),
        );
      } else if (!/^triggers\.\d+\.config$/.test(path)) {
        out.push(problem('function-config', name, `function ${name}: config.json ${path || '(root)'}: ${iss.message}`));
      }
    }
    const triggers = Array.isArray(raw.triggers) ? raw.triggers.filter(isRecord) : [];
    const names = new Set<string>();
    for (const t of triggers) {
      const label = typeof t.name === 'string' ? t.name : '(unnamed)';
      if (names.has(label))
        out.push(problem('function-config', name, `function ${name}: two triggers are named ${label}`));
      names.add(label);
      if (t.type !== 'timer') continue;
      const error = typeof t.config === 'string' ? validateCron(t.config) : 'cron expression missing';
      if (error) out.push(problem('cron', `${name}/${label}`, `function ${name} trigger ${label}: ${error}`));
    }
  }
  return out;
}

/** Collection and index declarations: unique names, non-empty fields, no two indexes on the same fields. */
export function checkIndexes(collections: readonly CollectionDeclaration[]): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const c of collections) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]{0,127}$/.test(c.name))
      out.push(problem('index', c.name, `collection name "${c.name}" is not valid`));
    if (seen.has(c.name)) out.push(problem('index', c.name, `collection ${c.name} is declared twice`));
    seen.add(c.name);
    const names = new Set<string>();
    const keys = new Map<string, string>();
    for (const ix of c.indexes) {
      const at = `${c.name}.${ix.name || '(unnamed)'}`;
      if (!ix.name) out.push(problem('index', at, `collection ${c.name}: an index has no name`));
      else if (names.has(ix.name))
        out.push(problem('index', at, `collection ${c.name}: index name ${ix.name} is used twice`));
      names.add(ix.name);
      if (ix.fields.length === 0)
        out.push(problem('index', at, `collection ${c.name}: index ${ix.name} has no fields`));
      if (ix.fields.some((f) => !f.trim()))
        out.push(problem('index', at, `collection ${c.name}: index ${ix.name} has an empty field name`));
      if (new Set(ix.fields).size !== ix.fields.length)
        out.push(problem('index', at, `collection ${c.name}: index ${ix.name} names a field twice`));
      if (ix.fields.length === 1 && ix.fields[0] === '_id')
        out.push(problem('index', at, `collection ${c.name}: index ${ix.name} duplicates the built-in _id index`));
      const key = ix.fields.join(',');
      const twin = keys.get(key);
      if (ix.fields.length && twin !== undefined)
        out.push(
          problem('index', at, `collection ${c.name}: indexes ${twin} and ${ix.name} are on the same fields (${key})`),
        );
      else keys.set(key, ix.name);
    }
  }
  return out;
}

/** Clients never write value collections: every change goes through a cloud function. */
export function checkSecurityRules(
  collections: readonly CollectionDeclaration[],
  allowClientWrite: readonly string[] = [],
): Problem[] {
  return collections
    .filter((c) => c.clientAccess.write && !allowClientWrite.includes(c.name))
    .map((c) =>
      problem(
        'security-rule',
        c.name,
        `collection ${c.name} lets Mini Program clients write directly; value data changes only through cloud functions`,
      ),
    );
}

/** Every message type the code sends has a real subscription template id. */
export function checkTemplates(
  usedTypes: readonly string[],
  templates: Readonly<Record<string, string | undefined>>,
): Problem[] {
  return usedTypes.flatMap((t) => {
    const id = templates[t];
    if (!id)
      return [
        problem(
          'template',
          t,
          `subscription template for message type ${t} is not configured (subscriptionTemplates.${t})`,
        ),
      ];
    if (id === TEMPLATE_PLACEHOLDER)
      return [
        problem(
          'template',
          t,
          `subscription template for message type ${t} is still the placeholder ${TEMPLATE_PLACEHOLDER} (subscriptionTemplates.${t})`,
        ),
      ];
    return [];
  });
}

/** HTTP access routes: well-formed, unique paths, each pointing at a function that exists. */
export function checkRoutes(
  routes: readonly { path: string; fn: string }[],
  functionNames: readonly string[],
): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const r of routes) {
    if (!/^\/[A-Za-z0-9/_-]*$/.test(r.path))
      out.push(
        problem('route', r.path, `HTTP route "${r.path}" must start with / and use only letters, digits, -, _ and /`),
      );
    if (seen.has(r.path)) out.push(problem('route', r.path, `HTTP route ${r.path} is declared twice`));
    seen.add(r.path);
    if (!functionNames.includes(r.fn))
      out.push(problem('route', r.path, `HTTP route ${r.path} points at function ${r.fn}, which does not exist`));
  }
  return out;
}
