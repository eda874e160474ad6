import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFunctions, FUNCTIONS_DIR } from '../scripts/build-functions';
import { collections } from '../server/db/schema';
import { spawnEmulator } from '../test/support/emulator-process';
import { atMost, info, latencies, percentile, type BenchResult } from './harness';
import { sdkFor } from './sdk-client';
import { benchMemberId as memberId, benchOpenid as openid, seedMembers } from './seed-members';

async function invoke(url: string, fn: string, who: string, data: Record<string, unknown>) {
  const res = await fetch(`${url}/invoke/${fn}`, { method: 'POST', body: JSON.stringify({ openid: who, data }) });
  const body = (await res.json()) as { result?: { ok: boolean; error?: { code: string } } };
  if (!body.result?.ok) throw new Error(`${fn}.${String(data.action)} failed: ${JSON.stringify(body)}`);
  return body.result;
}

/** Issue 4: login at scale (round trips and latency) and a merge of two members with 1,000 ledger rows each. */
export async function memberBench(opts: { members: number }): Promise<BenchResult[]> {
  buildFunctions();
  const dataDir = mkdtempSync(join(tmpdir(), 'member-bench-'));
  const { child, url } = await spawnEmulator({ dataDir, functionsDir: FUNCTIONS_DIR, collections, timerFunctions: [] });
  const results: BenchResult[] = [];
  try {
    const { db } = sdkFor(url);
    const at = new Date('2026-01-01T00:00:00Z');
    await seedMembers(db, opts.members, { at });
    await invoke(url, 'member', openid(0), { action: 'login' });
    const times = await latencies(300, (i) =>
      invoke(url, 'member', openid((i * 7919) % opts.members), { action: 'login' }),
    );
    const recent = (await (await fetch(`${url}/api/invocations?fn=member&limit=300`)).json()) as {
      invocations: { dbCalls: number }[];
    };
    results.push(
      atMost(
        `member.login database round trips @${opts.members} members`,
        Math.max(...recent.invocations.map((i) => i.dbCalls)),
        'calls',
        3,
      ),
    );
    results.push(info(`member.login p50 @${opts.members} members`, percentile(times, 50), 'ms'));
    results.push(atMost(`member.login p95 @${opts.members} members`, percentile(times, 95), 'ms', 20));

    // merge: B binds the phone A already holds; both have 1,000 ledger rows
    const [a, b] = [1, 2];
    await db.collection('identities').add({
      data: { _id: 'phone:13900000001', type: 'phone', value: '13900000001', memberId: memberId(a), linkedAt: at },
    });
    for (const who of [a, b]) {
      const rows = Array.from({ length: 1000 }, (_v, k) => ({
        _id: `bench_${who}_${k}`,
        memberId: memberId(who),
        kind: 'earn',
        amount: 1,
        at,
      }));
      await db.collection('points_ledger').add({ data: rows });
    }
    const started = performance.now();
    await invoke(url, 'member', openid(b), { action: 'bindPhone', code: 'phone:13900000001' });
    results.push(info('merge of two members with 1,000 ledger rows each', performance.now() - started, 'ms'));
    const survivorRows =
      (
        await db
          .collection('points_ledger')
          .where({ memberId: memberId(a) })
          .count()
      ).total +
      (
        await db
          .collection('points_ledger')
          .where({ memberId: memberId(b) })
          .count()
      ).total;
    results.push(atMost('merge keeps every ledger row (2000 expected, missing rows)', 2000 - survivorRows, 'rows', 0));
  } finally {
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}
