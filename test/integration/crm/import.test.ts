import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { connectSdk, type Sdk } from '../../support/sdk';
import { seedDemo } from '../member/helpers';
import { cardOf, EXISTING_PHONES, EXPECTED, MAPPING, phoneOf, unionOf, writeMembersCsv } from './import-files';
import { crmEmulator, runImportCli } from './support';

/**
 * Bringing a brand's existing members over: the import CLI (`npm run import`) runs as the brand
 * would run it, a separate process talking to the emulator through @cloudbase/node-sdk.
 */
let emu: Emulator;
let db: Sdk['db'];
let dir: string;
let csv: string;

interface Report {
  rows: number;
  new: number;
  matched: number;
  merged: number;
  changed: number;
  rejected: number;
  rejectedFile: string;
  stoppedAfterLine: number | null;
}

/** The rejected rows a run wrote to its file, one JSON line each. */
const rejectedOf = (r: Report): { line: number; reason: string }[] =>
  readFileSync(r.rejectedFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { line: number; reason: string });

async function cli(...args: string[]): Promise<Report> {
  const report = join(dir, `report-${Date.now()}.json`);
  await runImportCli(emu, { file: csv, mapping: join(dir, 'mapping.json'), report, args });
  return JSON.parse(readFileSync(report, 'utf8')) as Report;
}
const count = async (coll: string, where: Record<string, unknown> = {}) =>
  (await db.collection(coll).where(where).count()).total as number;

beforeAll(async () => {
  emu = await crmEmulator(new Date());
  seedDemo(emu); // fixture: the demo brand (staff, stores, configuration)
  ({ db } = connectSdk(emu));
  dir = mkdtempSync(join(tmpdir(), 'crm-import-'));
  csv = join(dir, 'members.csv');
  writeMembersCsv(csv);
  writeFileSync(join(dir, 'mapping.json'), JSON.stringify(MAPPING));
  // three people who are members here already, as they became members: in the Mini Program
  for (const [n, phone] of EXISTING_PHONES.entries()) {
    const openid = `o_here_${n}`;
    await as(emu, openid).ok('member', 'login', { query: { store: 'store_sh_xintiandi' } });
    await as(emu, openid).ok('member', 'claimCard', {
      name: `老会员${n}`,
      birthday: '1985-01-01',
      gender: 'female',
      language: 'zh',
      consents: { privacyVersion: '2026-01', marketingOptIn: true },
    });
    await as(emu, openid).ok('member', 'bindPhone', { code: `phone:${phone}` });
  }
}, 120_000);
afterAll(() => emu?.close());

test('import: 1,000 legacy members with duplicates and bad rows — dry run, resumable import, a second run changes nothing', async () => {
  const membersBefore = await count('members');

  const dry = await cli('--dry-run');
  expect({
    rows: dry.rows,
    new: dry.new,
    matched: dry.matched,
    merged: dry.merged,
    rejected: dry.rejected,
  }).toEqual(EXPECTED);
  const dryRejected = rejectedOf(dry);
  expect(dryRejected.map((r) => r.line)).toEqual([...dryRejected.map((r) => r.line)].sort((a, b) => a - b));
  expect(dryRejected).toHaveLength(EXPECTED.rejected);
  expect(dryRejected.filter((r) => r.reason.startsWith('phone:'))).toHaveLength(5);
  expect(dryRejected.filter((r) => r.reason.startsWith('birthday:'))).toHaveLength(5);
  expect(dryRejected.filter((r) => r.reason === 'tier: diamond is not a tier of this brand')).toHaveLength(5);
  expect(dryRejected.filter((r) => r.reason === 'wrong number of columns').map((r) => r.line)).toEqual([
    990, 991, 992, 993, 994,
  ]);
  expect(await count('members')).toBe(membersBefore);

  // stopped after 2 batches, then the same command goes on from where it stopped
  const first = await cli('--batches', '2');
  expect(first.stoppedAfterLine).not.toBeNull();
  expect(existsSync(`${csv}.import-progress.json`)).toBe(true);
  const rest = await cli();
  expect(rest.stoppedAfterLine).toBeNull();
  expect(existsSync(`${csv}.import-progress.json`)).toBe(false);
  const sum = (k: 'new' | 'matched' | 'merged') => first[k] + rest[k];
  expect({
    rows: first.rows + rest.rows,
    new: sum('new'),
    matched: sum('matched'),
    merged: sum('merged'),
    rejected: first.rejected + rest.rejected,
  }).toEqual(EXPECTED);
  // the resumed run added its rejected rows to those of the stopped one, each row once
  expect(rejectedOf(rest)).toEqual(dryRejected);
  // 927 people came in new; the 10 joining rows each merged two of them
  expect(await count('members', { mergedInto: db.command.exists(false) })).toBe(membersBefore + 927 - 10);

  // read through the product: a legacy member opens the Mini Program with their UnionID and finds card, tier and points
  const back = await as(emu, 'o_legacy_7', { unionid: unionOf(7) }).ok('member', 'login', {});
  expect(back.card).toMatchObject({ cardNo: cardOf(7), tier: 'silver', points: 7 + 5 });
  const summary = await as(emu, 'o_legacy_7').ok('points', 'summary', {});
  expect(summary.balance).toBe(12);
  // a member who was here already keeps their card and gains the legacy points
  const here = await as(emu, 'o_here_0').ok('points', 'summary', {});
  const history = await as(emu, 'o_here_0').ok('points', 'history', {});
  expect(history.items.map((e: { source: string }) => e.source)).toContain('import');
  expect(here.balance).toBe(history.items.reduce((s: number, e: { amount: number }) => s + e.amount, 0));
  // each birthday the import wrote has its month beside it, which birthday-month segments read (the legacy rows: May)
  const kept = { mergedInto: db.command.exists(false) };
  const bornInMay = await count('members', { ...kept, birthday: db.RegExp({ regexp: '^\\d{4}-05-' }) });
  expect(bornInMay).toBeGreaterThan(900);
  expect(await count('members', { ...kept, birthMonth: 5 })).toBe(bornInMay);
  // staff find a merged person by either number
  const lookup = await as(emu, 'o_demo_advisor').ok('admin', 'members.lookup', { query: phoneOf(101) });
  const byCard = await as(emu, 'o_demo_advisor').ok('admin', 'members.lookup', { query: cardOf(201) });
  expect(lookup.members[0]?.memberId).toBe(byCard.members[0]?.memberId);

  const snapshot = {
    members: await count('members'),
    ledger: await count('points_ledger'),
    identities: await count('identities'),
  };
  const again = await cli();
  expect(again).toMatchObject({ new: 0, changed: 0 });
  expect({
    members: await count('members'),
    ledger: await count('points_ledger'),
    identities: await count('identities'),
  }).toEqual(snapshot);
}, 600_000);

test('import: historical orders land on their members and set lifecycle and RFM facts, sending and granting nothing', async () => {
  const orders = join(dir, 'orders.jsonl');
  const lines = [
    { orderNo: 'H1', memberRef: 'L7', paidAt: '2025-11-02T06:00:00Z', paidFen: 128_000, categories: ['qipao'] },
    { orderNo: 'H2', phone: phoneOf(7), paidAt: '2026-01-15T06:00:00Z', paidFen: 66_000 },
    { orderNo: 'H3', cardNo: cardOf(8), paidAt: '2026-02-01T06:00:00Z', paidFen: 30_000 },
    { orderNo: 'H4', phone: '13999999999', paidAt: '2026-02-01T06:00:00Z', paidFen: 1_000 },
    { orderNo: 'H5', memberRef: 'L9', paidAt: 'yesterday', paidFen: 1_000 },
  ].map((o) => JSON.stringify(o));
  writeFileSync(orders, `${lines.join('\n')}\nnot json\n`);
  const points = await count('points_ledger');
  const outbox = await count('outbox');
  const orderEvents = await count('events', { type: db.command.in(['order.paid', 'order.created', 'points.earned']) });
  const importOrders = async (...args: string[]) => {
    const report = join(dir, `orders-report-${Date.now()}.json`);
    await runImportCli(emu, { file: orders, mapping: join(dir, 'mapping.json'), report, args });
    return JSON.parse(readFileSync(report, 'utf8')) as Report;
  };
  // the mapping's columns are the members' export; orders.jsonl is already in the product's words
  writeFileSync(join(dir, 'mapping.json'), JSON.stringify({ source: MAPPING.source }));

  const dry = await importOrders('--dry-run');
  const dryRejected = rejectedOf(dry);
  expect({ new: dry.new, rejected: dryRejected.map((r) => r.line) }).toEqual({ new: 3, rejected: [4, 5, 6] });
  expect(dryRejected[0]?.reason).toBe('no member here with these ids (import the members first)');
  expect(await count('orders')).toBe(0);

  const done = await importOrders();
  expect({ new: done.new, changed: done.changed }).toEqual({ new: 3, changed: 3 });
  const [seven] = (await as(emu, 'o_demo_advisor').ok('admin', 'members.lookup', { query: phoneOf(7) })).members;
  expect(seven).toMatchObject({ ltvFen: 194_000 });
  expect(seven?.stage).not.toBeNull();
  expect(seven?.orders.map((o) => o.orderId).sort()).toEqual(['import-legacy:H1', 'import-legacy:H2']);
  // nothing earned, nothing sent, no order events for journeys to act on
  expect(await count('points_ledger')).toBe(points);
  expect(await count('outbox')).toBe(outbox);
  expect(await count('events', { type: db.command.in(['order.paid', 'order.created', 'points.earned']) })).toBe(
    orderEvents,
  );

  const again = await importOrders();
  expect({ new: again.new, matched: again.matched, changed: again.changed }).toEqual({
    new: 0,
    matched: 3,
    changed: 0,
  });
  expect(await count('orders')).toBe(3);
}, 300_000);
