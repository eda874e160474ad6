import { rebuildLifecycle } from '../../server/lifecycle/rebuild';
import type { Database } from '../../server/runtime/cloud';

/**
 * The lifecycle rebuild in a process of its own, slice after slice until done, for tests that kill
 * it part-way, as `instances` functions calling it at once (each taking its own `_id` range, leased for `leaseMs`):
 * node scripts/run-ts.js test/support/rebuild-process.ts <serviceUrl> <now ISO> <sliceMs> <leaseMs> <instances> [go-on]
 * With `go-on` it joins a rebuild already started rather than starting one. Done, it prints
 * `FIGURES {cpuMs, rssGrowthMb, calls}`: its CPU and RSS growth from its first call on (a benchmark's figures).
 */
async function main() {
  const [serviceUrl, now, sliceMs, leaseMs, instances, goOn] = process.argv.slice(2);
  process.env.TENCENTCLOUD = 'true';
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the emulator's address is in the environment
  const cloud = require('wx-server-sdk') as typeof import('wx-server-sdk');
  cloud.init({ env: 'local-env', serviceUrl, secretId: 'x', secretKey: 'y' } as Parameters<typeof cloud.init>[0]);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's typings lack throwOnNotFound
  const db = cloud.database({ throwOnNotFound: false } as any) as unknown as Database;
  const opts = { sliceMs: Number(sliceMs), leaseMs: Number(leaseMs) };
  const at = new Date(now as string);
  const rss = process.memoryUsage().rss;
  const cpu = process.cpuUsage();
  let calls = 0;
  if (goOn !== 'go-on') await rebuildLifecycle(db, at, { ...opts, restart: true });
  await Promise.all(
    Array.from({ length: Number(instances) }, async () => {
      // no free range left: the others are finishing theirs
      while (++calls && !(await rebuildLifecycle(db, at, opts)).done) await new Promise((r) => setTimeout(r, 100));
    }),
  );
  const used = process.cpuUsage(cpu);
  const rssGrowthMb = (process.resourceUsage().maxRSS * 1024 - rss) / 1024 / 1024;
  process.stdout.write(`FIGURES ${JSON.stringify({ cpuMs: (used.user + used.system) / 1000, rssGrowthMb, calls })}\n`);
  process.exit(0);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
