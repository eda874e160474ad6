import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { connectSdk } from '../../support/sdk';
import { functionsDirWith, separateEmulator } from '../orders/support';
import { runImportCli } from '../crm/support';

/**
 * S20 bulk tagging: a brand admin tags a whole saved segment. The job goes page by page, keeps its
 * place, and when the invocation fails after a page's update or is killed part-way the timer carries
 * on from there: every member of the segment ends up with the tag once, with one audit row each. The members are the brand's
 * earlier members brought in by the import CLI (the product's own path for them).
 */
const IMPORT_SECRET = 'import-test-secret-0123456789';
const IN_SEGMENT = 3_000;
/** Members per page of a job. */
const PAGE = 1_000;
const OUTSIDE = 40;

let emu: Emulator;
let fnDir: string;
let tmp: string;
let db: ReturnType<typeof connectSdk>['db'];
const admin = () => as(emu, 'o_tag_admin');

async function importMembers(): Promise<void> {
  const header = '会员编号,姓名,卡号,等级';
  const rows = Array.from(
    { length: IN_SEGMENT + OUTSIDE },
    (_v, i) => `T${i},会员${i},TC${String(i).padStart(5, '0')},${i < IN_SEGMENT ? 'gold' : 'silver'}`,
  );
  const csv = join(tmp, 'members.csv');
  writeFileSync(csv, `${[header, ...rows].join('\n')}\n`);
  const mapping = { source: 'legacy', columns: { 会员编号: 'ref', 姓名: 'name', 卡号: 'cardNo', 等级: 'tier' } };
  writeFileSync(join(tmp, 'mapping.json'), JSON.stringify(mapping));
  const report = join(tmp, 'report.json');
  await runImportCli(emu, { file: csv, mapping: join(tmp, 'mapping.json'), report, secret: IMPORT_SECRET });
}

/** One minute later: the admin function's tagJobs timer fires (its outcome, failed or not). */
async function tick(): Promise<{ ok: boolean }[]> {
  const r = await fetch(`${emu.url}/clock`, {
    method: 'POST',
    body: JSON.stringify({ advance: '1m', only: ['admin:tagJobs'] }),
  });
  return ((await r.json()) as { fired: { ok: boolean }[] }).fired;
}

const count = async (coll: string, where: Record<string, unknown>) =>
  ((await db.collection(coll).where(where).count()) as { total: number }).total;

beforeAll(async () => {
  fnDir = functionsDirWith(['member', 'points', 'admin', 'messaging'], [], { IMPORT_SECRET });
  emu = await separateEmulator(fnDir);
  ({ db } = connectSdk(emu));
  tmp = mkdtempSync(join(tmpdir(), 'bulk-tag-'));
  // the brand's set-up: a brand admin and an advisor
  await db
    .collection('staff')
    .doc('staff_tag_admin')
    .set({ data: { openid: 'o_tag_admin', name: '品牌管理员', role: 'brand_admin', storeIds: [] } });
  await db
    .collection('staff')
    .doc('staff_tag_adv')
    .set({ data: { openid: 'o_tag_adv', name: '顾问', role: 'advisor', storeIds: ['store_a'] } });
  await importMembers();
}, 300_000);
afterAll(async () => {
  await emu?.close();
  rmSync(fnDir, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

test('S20 tag taxonomy: a brand admin adds a manual tag with a colour and a holding period; an advisor may not', async () => {
  const tag = {
    id: 'gold_gala_2026',
    category: 'behaviour',
    kind: 'manual',
    name: { zh: '金卡晚宴 2026', en: 'Gold gala 2026' },
    colour: '#d4380d',
    ttlDays: 90,
  };
  const refused = await as(emu, 'o_tag_adv').call('admin', 'tags.save', { tag } as never);
  expect(refused.ok).toBe(false);
  await admin().ok('admin', 'tags.save', { tag } as never);
  const listed = await admin().ok('admin', 'tags.list', {});
  expect(listed.items.find((t) => t.id === 'gold_gala_2026')).toMatchObject({
    colour: '#d4380d',
    ttlDays: 90,
    kind: 'manual',
    archived: false,
  });
  // the starting taxonomy was written out with the first change, not replaced by it
  expect(listed.items.some((t) => t.id === 'repeat_buyer')).toBe(true);
  const audits = await count('audit_log', { action: 'tags.save', target: 'tags/gold_gala_2026' });
  expect(audits).toBe(1);
  expect(await count('audit_log', { action: 'refused:admin.tags.save' })).toBe(1);
});

/** Arms a failure of the next matching call (`POST /functions/faults`). */
async function fault(body: Record<string, unknown>): Promise<void> {
  const r = await fetch(`${emu.url}/functions/faults`, { method: 'POST', body: JSON.stringify(body) });
  expect(r.ok).toBe(true);
}

/** Timer runs until the job is done (a run may be skipped while a killed run's lease lasts); their outcomes. */
async function resume(jobId: string): Promise<boolean[]> {
  const runs: boolean[] = [];
  for (let i = 0; i < 30; i++) {
    const job = await admin().ok('admin', 'tags.job', { jobId });
    if (job.state === 'done') break;
    runs.push(...(await tick()).map((f) => f.ok));
  }
  return runs;
}

const gala = (op: 'add' | 'remove', jobId: string) => ({
  action: 'tags.bulk',
  jobId,
  segmentId: 'gold-members',
  tagId: 'gold_gala_2026',
  op,
});

test('S20 bulk tagging: cut off after a page is tagged, then killed part-way, the timer finishes the job and tags each member of the segment once', async () => {
  await admin().ok('messaging', 'segments.save', {
    id: 'gold-members',
    name: '金卡会员',
    rule: { field: 'tier', op: 'in', values: ['gold'] },
  });
  const preview = await admin().ok('messaging', 'segments.preview', {
    rule: { field: 'tier', op: 'in', values: ['gold'] },
  });
  expect(preview.count).toBe(IN_SEGMENT);
  expect(preview.sample).toHaveLength(10);

  // the first page's update is carried out, then the instance never hears the answer and fails: the
  // members of that page hold the tag, and nothing records it yet
  await fault({ kind: 'lostAnswer', action: 'database.modifyDocument', collection: 'members', fn: 'admin' });
  const cut = await admin().raw('admin', gala('add', 'job_gala_1'));
  expect((cut.result as { ok?: boolean } | undefined)?.ok).not.toBe(true);
  expect(await count('members', { 'tags.tagId': 'gold_gala_2026' })).toBe(PAGE);
  expect(await count('audit_log', { action: 'tags.bulk', reason: 'job job_gala_1' })).toBe(0);
  expect(await admin().ok('admin', 'tags.job', { jobId: 'job_gala_1' })).toMatchObject({
    state: 'running',
    changed: 0,
  });

  // the next timer run is killed (SIGKILL) 400 ms in; the runs after it carry on from the saved page
  await fault({ kind: 'kill', fn: 'admin', afterMs: 400 });
  const runs = [...(await tick()).map((f) => f.ok), ...(await resume('job_gala_1'))];
  expect(runs).toContain(true);
  const job = await admin().ok('admin', 'tags.job', { jobId: 'job_gala_1' });
  expect(job).toMatchObject({ state: 'done', changed: IN_SEGMENT });
  expect(await count('members', { 'tags.tagId': 'gold_gala_2026' })).toBe(IN_SEGMENT);
  expect(await count('members', { tier: 'silver', 'tags.tagId': 'gold_gala_2026' })).toBe(0);
  expect(await count('audit_log', { action: 'tags.bulk', reason: 'job job_gala_1' })).toBe(IN_SEGMENT);
  expect(await count('audit_log', { action: 'tags.bulkStart', target: 'tag_jobs/job_gala_1' })).toBe(1);
  // no member holds it twice, and each holding names the job
  const members = (await db
    .collection('members')
    .where({ tier: 'gold' })
    .limit(1000)
    .field({ tags: true })
    .get()) as unknown as { data: { tags: { tagId: string; jobId?: string }[] }[] };
  for (const m of members.data) {
    expect(m.tags.filter((t) => t.tagId === 'gold_gala_2026')).toEqual([
      expect.objectContaining({ jobId: 'job_gala_1' }),
    ]);
  }

  // the same request again is the same job: nothing more happens
  const again = await admin().ok('admin', 'tags.bulk', gala('add', 'job_gala_1') as never);
  expect(again).toMatchObject({ state: 'done', changed: IN_SEGMENT });
  const tagged = await admin().ok('messaging', 'segments.preview', {
    rule: { field: 'tags', op: 'hasAll', values: ['gold_gala_2026'] },
  });
  expect(tagged.count).toBe(IN_SEGMENT);
}, 600_000);

test('S20 bulk tagging: taking the tag off the segment, cut off after a page, removes and records each holding once', async () => {
  // the rows of the first page are written, its update is carried out, and the answer is lost
  await fault({ kind: 'lostAnswer', action: 'database.modifyDocument', collection: 'members', fn: 'admin' });
  const cut = await admin().raw('admin', gala('remove', 'job_gala_off'));
  expect((cut.result as { ok?: boolean } | undefined)?.ok).not.toBe(true);
  expect(await count('members', { 'tags.tagId': 'gold_gala_2026' })).toBe(IN_SEGMENT - PAGE);
  expect(await count('audit_log', { reason: 'job job_gala_off' })).toBe(PAGE);

  expect(await resume('job_gala_off')).toContain(true);
  const job = await admin().ok('admin', 'tags.job', { jobId: 'job_gala_off' });
  expect(job).toMatchObject({ state: 'done', changed: IN_SEGMENT });
  expect(await count('members', { 'tags.tagId': 'gold_gala_2026' })).toBe(0);
  expect(await count('audit_log', { action: 'tags.bulk', reason: 'job job_gala_off' })).toBe(IN_SEGMENT);
  const row = (await db.collection('audit_log').where({ reason: 'job job_gala_off' }).limit(1).get()) as unknown as {
    data: { before: { tags: string[] }; after: { tags: string[] } }[];
  };
  expect(row.data[0]!.before.tags).toContain('gold_gala_2026');
  expect(row.data[0]!.after.tags).not.toContain('gold_gala_2026');
}, 600_000);

test('S20 bulk tagging: the admin taps twice, two runs of one job race over the same pages, and each member is still tagged once', async () => {
  const tag = { id: 'spring_tea', category: 'behaviour', kind: 'manual', name: { zh: '春茶品鉴' }, colour: '#389e0d' };
  await admin().ok('admin', 'tags.save', { tag } as never);
  const start = { jobId: 'job_tea_1', segmentId: 'gold-members', tagId: 'spring_tea', op: 'add' } as const;
  const both = await Promise.all([
    admin().call('admin', 'tags.bulk', start),
    admin().call('admin', 'tags.bulk', start),
  ]);
  expect(both.some((r) => r.ok)).toBe(true);
  expect(await resume('job_tea_1')).not.toContain(false);
  const job = await admin().ok('admin', 'tags.job', { jobId: 'job_tea_1' });
  expect(job).toMatchObject({ state: 'done', changed: IN_SEGMENT });
  expect(await count('members', { 'tags.tagId': 'spring_tea' })).toBe(IN_SEGMENT);
  expect(await count('members', { tags: db.command.size(2) })).toBe(0);
  expect(await count('audit_log', { action: 'tags.bulk', reason: 'job job_tea_1' })).toBe(IN_SEGMENT);
  expect(await count('audit_log', { action: 'tags.bulkStart', target: 'tag_jobs/job_tea_1' })).toBe(1);
}, 600_000);

test('S20 bulk tagging: an advisor may not start a job; the refusal is audited and nothing changes', async () => {
  const r = await as(emu, 'o_tag_adv').call('admin', 'tags.bulk', {
    jobId: 'job_adv_1',
    segmentId: 'gold-members',
    tagId: 'gold_gala_2026',
    op: 'remove',
  });
  expect(r.ok).toBe(false);
  expect(await count('tag_jobs', { _id: 'job_adv_1' })).toBe(0);
  expect(await count('audit_log', { action: 'refused:admin.tags.bulk' })).toBe(1);
});
