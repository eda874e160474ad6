import { rebuildLifecycle } from '../../server/lifecycle/rebuild';
import type { Database } from '../../server/runtime/cloud';

/**
 * The lifecycle rebuild in a process of its own, slice after slice until done, for tests that kill
 * it part-way, as `instances` functions calling it at once (each taking its own `_id` range, leased for `leaseMs`):
 * node scripts/run-ts.js test/support/rebuild-process.ts <serviceUrl> <now ISO> <sliceMs> <leaseMs> <instances>
 */
async function main() {
  const [serviceUrl, now, sliceMs, leaseMs, instances] = process.argv.slice(2);
  process.env.TENCENTCLOUD = 'true';
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the emulator's address is in the environment
  const cloud = require('wx-server-sdk') as typeof import('wx-server-sdk');
  cloud.init({ env: 'local-env', serviceUrl, secretId: 'x', secretKey: 'y' } as Parameters<typeof cloud.init>[0]);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's typings lack throwOnNotFound
  const db = cloud.database({ throwOnNotFound: false } as any) as unknown as Database;
  const opts = { sliceMs: Number(sliceMs), leaseMs: Number(leaseMs) };
  const at = new Date(now as string);
  await rebuildLifecycle(db, at, { ...opts, restart: true });
  await Promise.all(
    Array.from({ length: Number(instances) }, async () => {
      while (!(await rebuildLifecycle(db, at, opts)).done);
    }),
  );
  process.exit(0);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
