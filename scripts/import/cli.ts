import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { batchSender, targetFromEnv } from './client';
import { mappingSchema, readMapping } from './mapping';
import { PARALLEL, runImport, type ImportReport, type Kind } from './run';

const USAGE = `npm run import -- <members|orders>.<jsonl|csv> --mapping mapping.json [--dry-run]
  [--env ID] [--service-url URL] [--kind members|orders] [--report report.json] [--batches N]
  [--parallel N] [--rejected rejected.jsonl]
Needs TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY (the environment's API keys), IMPORT_SECRET (the brand's import
secret, also set on the admin function) and CLOUDBASE_ENV unless --env is given. Run with --dry-run first.
--batches N stops after N batches (run again to go on); --parallel N sends N batches at once (default ${PARALLEL}).
Rejected rows and their reasons go to --rejected (default <file>.rejected.jsonl, <file>.dry-run-rejected.jsonl).`;

function summary(r: ImportReport): string {
  const counts = `new ${r.new}, matched ${r.matched}, merged ${r.merged}, rejected ${r.rejected}`;
  const head = `${r.dryRun ? 'dry run' : 'import'} of ${r.kind}: ${r.rows} rows — ${counts}`;
  const changed = r.dryRun ? '' : `, changed ${r.changed}`;
  const goOn = `\nstopped after line ${r.stoppedAfterLine}: run the same command again to go on`;
  const stopped = r.stoppedAfterLine === null ? '' : goOn;
  const reasons = r.firstRejected.map((x) => `\n  line ${x.line}: ${x.reason}`).join('');
  const left = r.rejected - r.firstRejected.length;
  const more = r.rejected ? `\n  ${left ? `… ${left} more; ` : ''}all rejected rows in ${r.rejectedFile}` : '';
  return `${head}${changed}${reasons}${more}${stopped}`;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      mapping: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      env: { type: 'string' },
      'service-url': { type: 'string' },
      kind: { type: 'string' },
      report: { type: 'string' },
      batches: { type: 'string' },
      parallel: { type: 'string' },
      rejected: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const file = positionals[0];
  if (values.help || !file) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const kind = (values.kind ?? (/orders/i.test(basename(file)) ? 'orders' : 'members')) as Kind;
  if (kind !== 'members' && kind !== 'orders') throw new Error(`--kind must be members or orders, not ${String(kind)}`);
  const mapping = values.mapping ? readMapping(values.mapping) : mappingSchema.parse({ source: 'legacy' });
  const send = batchSender(targetFromEnv({ env: values.env, serviceUrl: values['service-url'] }));
  const maxBatches = values.batches ? Number(values.batches) : undefined;
  const parallel = values.parallel ? Number(values.parallel) : undefined;
  const dryRun = values['dry-run'] ?? false;
  const rejectedFile = values.rejected;
  const report = await runImport({ file, kind, mapping, dryRun, send, maxBatches, parallel, rejectedFile });
  if (values.report) writeFileSync(values.report, JSON.stringify(report, null, 2));
  console.log(summary(report));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`import failed: ${e.message}`);
    process.exit(1);
  },
);
