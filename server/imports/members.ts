import type { z } from 'zod';
import { legacyMember, type importMembers, type LegacyMember, type rowOutcome } from '../../core/contracts/imports';
import { stateOf } from '../../core/identity/member';
import { birthMonthOf } from '../../core/segments/birthday';
import type { HeldTag } from '../../core/portrait';
import { inTransaction, type Tx } from '../db/transaction';
import { linkIdentities, linkStepTx, newMemberId, type IdentityRef, type LinkOptions } from '../identity/link';
import type { SystemContext } from '../kit/context';
import { identityId, type IdentityDoc, type MemberDoc } from '../members/documents';
import { credit, findRow, openAccount, saveAccount } from '../points/account';
import { valueRules } from '../points/brand';
import type { Database } from '../runtime/cloud';
import { GroupedTx } from '../orders/grouped-tx';
import { IMPORT_SOURCE, rejected, reasonsOf, requireSignedBatch } from './signed-batch';
import { resolveMember } from '../members/resolve';
import { updateMemberTx } from '../members/store';

type Outcome = z.input<typeof rowOutcome>;

/** Every identity a legacy row names: its ref and external ids as `external:<source>:<id>`, phone, UnionID, card. */
export function identitiesOf(source: string, m: LegacyMember): IdentityRef[] {
  const ids: IdentityRef[] = [{ type: 'external', value: `${source}:${m.ref}` }];
  for (const [sys, id] of Object.entries(m.externalIds ?? {})) ids.push({ type: 'external', value: `${sys}:${id}` });
  if (m.phone) ids.push({ type: 'phone', value: m.phone });
  if (m.unionid) ids.push({ type: 'unionid', value: m.unionid });
  if (m.cardNo) ids.push({ type: 'card', value: m.cardNo });
  return ids;
}

/** The fields a legacy row fills on a member: only those it does not have yet (what the member did here wins). */
function fillPatch(member: MemberDoc, m: LegacyMember, now: Date): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const fill = (field: keyof MemberDoc, value: unknown) => {
    if (value !== undefined && (member[field] === undefined || member[field] === null)) patch[field] = value;
  };
  fill('name', m.name);
  fill('birthday', m.birthday);
  if (patch.birthday !== undefined) patch.birthMonth = birthMonthOf(m.birthday);
  fill('gender', m.gender);
  fill('phone', m.phone);
  fill('unionid', m.unionid);
  if (m.cardNo && !member.cardNo) Object.assign(patch, { cardNo: m.cardNo, claimedAt: m.joinedAt ?? now });
  fill('tier', m.tier);
  if (m.tier && !member.tierSince) patch.tierSince = now;
  if (m.consents && !member.consents) patch.consents = { ...m.consents, marketingVersion: m.consents.privacyVersion };
  const held = new Set((member.tags ?? []).map((t) => t.tagId));
  const fresh = (m.tags ?? []).filter((t) => !held.has(t));
  const tags: HeldTag[] = fresh.map((tagId) => ({ tagId, source: 'manual', at: now }));
  if (tags.length) patch.tags = [...(member.tags ?? []), ...tags];
  if (m.joinedAt && new Date(member.firstSeenAt).getTime() > m.joinedAt.getTime()) patch.firstSeenAt = m.joinedAt;
  return patch;
}

/**
 * The row's fields and points on its member, inside the caller's transaction. Each points lot is
 * credited under a ledger key of its own (`import:<source>:<ref>:<n>`), so a second run finds it
 * and adds nothing.
 */
async function applyRowTx(tx: Tx, db: Database, source: string, memberId: string, m: LegacyMember, now: Date) {
  const acc = await openAccount(tx, memberId, db);
  let changed = false;
  for (const [n, lot] of (m.points ?? []).entries()) {
    const key = ledgerKey(source, m.ref, n);
    if (lot.expiresAt.getTime() <= now.getTime() || (await findRow(tx, key))) continue;
    const reason = `legacy balance (${source})`;
    const { amount: points, expiresAt } = lot;
    const by = IMPORT_SOURCE;
    await credit(tx, acc, { kind: 'adjust', key, points, expiresAt, source: IMPORT_SOURCE, reason, by, now });
    changed = true;
  }
  if (changed) await saveAccount(tx, acc);
  const member = acc.member;
  const patch = fillPatch(member, m, now);
  if (Object.keys(patch).length === 0) return changed;
  const state = stateOf({ ...member, ...patch });
  await updateMemberTx(tx, acc.member._id, { ...patch, state });
  return true;
}

const ledgerKey = (source: string, ref: string, n: number) => `import:${source}:${ref}:${n}`;

/** A row that passed its contract, with the identities it names. */
interface Row {
  index: number;
  line: number;
  m: LegacyMember;
  ids: IdentityRef[];
}

/** Rows applied in one transaction: a conflict reruns them all, so a modest group. */
const GROUP_ROWS = 50;

const linkOptions = (source: string, m: LegacyMember): LinkOptions => {
  const via = `import:${source}`;
  return { via, reason: via, seed: { name: m.name } };
};

function outcomeOf(line: number, memberId: string, created: boolean, merged: boolean, changed: boolean): Outcome {
  return { line, outcome: created ? 'new' : merged ? 'merged' : 'matched', memberId, changed };
}

/** A row whose ids lead to several members, on its own: the link, then the merges, then its fields. */
async function rowWithMerge(ctx: SystemContext, source: string, r: Row): Promise<Outcome> {
  const now = ctx.now();
  const link = await linkIdentities(ctx.db, now, r.ids, { ...linkOptions(source, r.m), log: ctx.log });
  const changed = await inTransaction(ctx.db, (tx) => applyRowTx(tx, ctx.db, source, link.memberId, r.m, now));
  const linked = link.created || link.merged.length > 0 || link.linked.length > 0;
  return outcomeOf(r.line, link.memberId, link.created, link.merged.length > 0, changed || linked);
}

/** Everything a group reads, in one query per collection: its identities, their members, lots and ledger rows. */
async function primeGroup(ctx: SystemContext, tx: GroupedTx, source: string, rows: Row[]): Promise<void> {
  const _ = ctx.db.command;
  const idDocs = rows.flatMap((r) => r.ids.map((ref) => identityId(ref.type, ref.value)));
  const keys = rows.flatMap((r) => (r.m.points ?? []).map((_lot, n) => ledgerKey(source, r.m.ref, n)));
  await Promise.all([tx.prime('identities', idDocs, _), tx.prime('points_ledger', keys, _)]);
  const memberIds = new Set<string>();
  for (const id of idDocs) {
    const doc = (await tx.collection('identities').doc(id).get()).data as IdentityDoc | null;
    if (doc) memberIds.add(doc.memberId);
  }
  await Promise.all([tx.prime('members', [...memberIds], _), tx.primeOpenLots([...memberIds], _)]);
}

/**
 * Rows linked and applied in one grouped transaction (bulk reads, writes sent grouped at the end),
 * in file order, up to the first row whose ids lead to several members: that one needs merges,
 * which run on their own, so the group stops before it.
 */
async function applyGroup(ctx: SystemContext, source: string, rows: Row[]): Promise<Outcome[]> {
  const now = ctx.now();
  return inTransaction(ctx.db, async (real) => {
    const tx = new GroupedTx(real);
    await primeGroup(ctx, tx, source, rows);
    const done: Outcome[] = [];
    for (const r of rows) {
      const saved = tx.mark();
      const newId = newMemberId();
      tx.assumeAbsent('members', [newId]);
      const step = await linkStepTx(tx, now, r.ids, linkOptions(source, r.m), newId);
      if (step.others.length > 0) {
        tx.restore(saved);
        break;
      }
      const changed = await applyRowTx(tx, ctx.db, source, step.primaryId, r.m, now);
      done.push(outcomeOf(r.line, step.primaryId, step.created, false, changed || step.linked.length > 0));
    }
    await tx.flush();
    return done;
  });
}

async function applyRows(ctx: SystemContext, source: string, rows: Row[], out: Outcome[]): Promise<void> {
  let i = 0;
  while (i < rows.length) {
    const done = await applyGroup(ctx, source, rows.slice(i, i + GROUP_ROWS));
    done.forEach((o, n) => (out[rows[i + n]!.index] = o));
    i += done.length;
    if (i < rows.length && done.length < GROUP_ROWS) {
      const r = rows[i]!;
      out[r.index] = await rowWithMerge(ctx, source, r);
      i++;
    }
  }
}

/** A dry run: which members the rows' ids lead to today, read in bulk (merged ids followed to their survivor). */
async function lookUpRows(db: Database, rows: Row[], out: Outcome[]): Promise<void> {
  const _ = db.command;
  const wanted = [...new Set(rows.flatMap((r) => r.ids.map((ref) => identityId(ref.type, ref.value))))];
  const owner = new Map<string, string>();
  for (let i = 0; i < wanted.length; i += 1000) {
    const q = db.collection('identities').where({ _id: _.in(wanted.slice(i, i + 1000)) });
    const page = (await q.limit(1000).get()) as unknown as { data: IdentityDoc[] };
    for (const d of page.data) owner.set(d._id, d.memberId);
  }
  const roots = new Map<string, string | null>();
  for (const id of new Set(owner.values())) roots.set(id, (await resolveMember(db, id))?._id ?? null);
  for (const r of rows) {
    const found = new Set<string>();
    for (const ref of r.ids) {
      const root = roots.get(owner.get(identityId(ref.type, ref.value)) ?? '');
      if (root) found.add(root);
    }
    const outcome = found.size === 0 ? 'new' : found.size === 1 ? 'matched' : 'merged';
    out[r.index] = { line: r.line, outcome, memberId: [...found][0] ?? null };
  }
}

/**
 * One signed batch of legacy members: each row parsed by its contract (a bad row is rejected with
 * its reason and changes nothing), resolved by the product's identity rules (new, matched, or
 * several members merged into one), then its fields and points applied. A dry run only reads.
 */
export async function importMembersAction(input: z.output<typeof importMembers.input>, ctx: SystemContext) {
  requireSignedBatch('members', input.batch, input.signed, ctx.now());
  const { source, dryRun, rows } = input.batch;
  const tiers = new Set(valueRules().tiers.tiers.map((t) => t.id));
  const results: Outcome[] = [];
  const good: Row[] = [];
  rows.forEach(({ line, row }, index) => {
    const parsed = legacyMember.safeParse(row);
    if (!parsed.success) results[index] = rejected(line, reasonsOf(parsed.error));
    else if (parsed.data.tier && !tiers.has(parsed.data.tier))
      results[index] = rejected(line, `tier: ${parsed.data.tier} is not a tier of this brand`);
    else good.push({ index, line, m: parsed.data, ids: identitiesOf(source, parsed.data) });
  });
  await (dryRun ? lookUpRows(ctx.db, good, results) : applyRows(ctx, source, good, results));
  return { results };
}
