import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnEmulator } from '../test/support/emulator-process';
import { FUNCTIONS_DIR } from '../scripts/build-functions';
import { collections } from '../server/db/schema';
import { sdkFor } from '../bench/sdk-client';
import { pool } from '../bench/harness';
async function invoke(url: string, openid: string, fn: string, data: Record<string, unknown>) {
  const res = await fetch(`${url}/invoke/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid, data }) });
  return (await res.json()) as any;
}
(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zz-fns-'));
  for (const fn of ['coupons']) { mkdirSync(join(dir, fn)); for (const f of ['index.js', 'config.json', 'package.json']) symlinkSync(join(FUNCTIONS_DIR, fn, f), join(dir, fn, f)); }
  const { child, url } = await spawnEmulator({ functionsDir: dir, collections, maxInstancesPerFunction: 8 });
  const { db } = sdkFor(url);
  const N = 1000;
  await db.collection('coupon_templates').add({ data: { _id: 'big', templateId: 'big', name: { zh: 'x' }, benefit: { kind: 'amountOff', amountFen: 1000 }, validity: { kind: 'daysAfterClaim', days: 7 }, totalStock: 100000, perMemberLimit: 1, channels: ['claimCentre'], issued: 0 } });
  const at = new Date();
  const openids = Array.from({ length: N }, (_v, i) => `o_${i}`);
  await db.collection('members').add({ data: openids.map((o) => ({ _id: `m_${o}`, state: 'member', openid: o, firstSeenAt: at, lastSeenAt: at, createdAt: at })) });
  await db.collection('identities').add({ data: openids.map((o) => ({ _id: `mp_openid:${o}`, type: 'mp_openid', value: o, memberId: `m_${o}`, linkedAt: at })) });
  await Promise.all(Array.from({ length: 8 }, () => invoke(url, 'o_warm', 'coupons', { action: 'list' })));
  let t = Date.now();
  for (let i = 0; i < 50; i++) await invoke(url, openids[i]!, 'coupons', { action: 'claim', templateId: 'big', requestId: `r${i}` });
  console.log('sequential claim ms each', (Date.now() - t) / 50);
  t = Date.now();
  for (let i = 50; i < 100; i++) await invoke(url, openids[i]!, 'coupons', { action: 'list' });
  console.log('sequential list ms each', (Date.now() - t) / 50);
  for (const c of [8, 200]) {
    t = Date.now();
    await pool(200, c, (i) => invoke(url, openids[i]!, 'coupons', { action: 'list' }));
    console.log(`list concurrency ${c}: /s`, (200 / (Date.now() - t)) * 1000);
  }
  for (const c of [200]) {
    t = Date.now();
    const base = c * 1000;
    await pool(200, c, (i) => invoke(url, openids[(100 + i + c) % N]!, 'coupons', { action: 'claim', templateId: 'big', requestId: `c${c}-${i}` }));
    console.log(`concurrency ${c}: claims/s`, (200 / (Date.now() - t)) * 1000);
  }
  const invs = (await (await fetch(`${url}/console/api/invocations?limit=200&fn=coupons`)).json()) as any;
  const d = invs.invocations.map((i: any) => i.durationMs).sort((a: number, b: number) => a - b);
  console.log('durations p50', d[Math.floor(d.length / 2)], 'p90', d[Math.floor(d.length * 0.9)], 'max', d[d.length - 1], 'errors', invs.invocations.filter((i: any) => !i.ok || !i.result?.ok).map((i: any) => i.error?.message ?? i.result?.error?.code).slice(0, 5));
  child.kill();
  process.exit(0);
})();
