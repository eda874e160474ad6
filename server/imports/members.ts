import type { z } from 'zod';
import { legacyMember, type importMembers, type LegacyMember, type rowOutcome } from '../../core/contracts/imports';
import { stateOf } from '../../core/identity/member';
import type { HeldTag } from '../../core/portrait';
import { readDoc } from '../db/documents';
import { inTransaction } from '../db/transaction';
import { linkIdentities, type IdentityRef } from '../identity/link';
import type { SystemContext } from '../kit/context';
import { identityId, type IdentityDoc, type MemberDoc } from '../members/documents';
import { credit, findRow, openAccount, saveAccount } from '../points/account';
import { valueRules } from '../points/brand';
import type { Database } from '../runtime/cloud';
import { IMPORT_SOURCE, rejected, reasonsOf, requireSignedBatch } from './signed-batch';
import { resolveMemberTx } from '../members/resolve';
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

/** The distinct members these identities lead to today (merged ids followed to their survivor). */
async function membersOf(db: Database, ids: IdentityRef[]): Promise<string[]> {
  const found = new Set<string>();
  for (const ref of ids) {
    const link = await readDoc<IdentityDoc>(db, 'identities', identityId(ref.type, ref.value));
    if (!link) continue;
    const root = await inTransaction(db, (tx) => resolveMemberTx(tx, link.memberId));
    if (root) found.add(root._id);
  }
  return [...found];
}

/** The fields a legacy row fills on a member: only those it does not have yet (what the member did here wins). */
function fillPatch(member: MemberDoc, m: LegacyMember, now: Date): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const fill = (field: keyof MemberDoc, value: unknown) => {
    if (value !== undefined && (member[field] === undefined || member[field] === null)) patch[field] = value;
  };
  fill('name', m.name);
  fill('birthday', m.birthday);
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
 * The row's fields and points on its member, in one transaction. Each points lot is credited under
 * a ledger key of its own (`import:<source>:<ref>:<n>`), so a second run finds it and adds nothing.
 */
async function applyRow(db: Database, source: string, memberId: string, m: LegacyMember, now: Date): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const acc = await openAccount(tx, memberId, db);
    let changed = false;
    for (const [n, lot] of (m.points ?? []).entries()) {
      const key = `import:${source}:${m.ref}:${n}`;
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
  });
}

async function oneRow(
  ctx: SystemContext,
  source: string,
  dryRun: boolean,
  line: number,
  raw: unknown,
  tiers: Set<string>,
): Promise<Outcome> {
  const parsed = legacyMember.safeParse(raw);
  if (!parsed.success) return rejected(line, reasonsOf(parsed.error));
  const m = parsed.data;
  if (m.tier && !tiers.has(m.tier)) return rejected(line, `tier: ${m.tier} is not a tier of this brand`);
  const ids = identitiesOf(source, m);
  const now = ctx.now();
  if (dryRun) {
    const found = await membersOf(ctx.db, ids);
    const outcome = found.length === 0 ? 'new' : found.length === 1 ? 'matched' : 'merged';
    return { line, outcome, memberId: found[0] ?? null };
  }
  const via = `import:${source}`;
  const link = await linkIdentities(ctx.db, now, ids, { via, reason: via, seed: { name: m.name }, log: ctx.log });
  const changed = await applyRow(ctx.db, source, link.memberId, m, now);
  const outcome = link.created ? 'new' : link.merged.length ? 'merged' : 'matched';
  const linked = link.created || link.merged.length > 0 || link.linked.length > 0;
  return { line, outcome, memberId: link.memberId, changed: changed || linked };
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
  for (const { line, row } of rows) results.push(await oneRow(ctx, source, dryRun, line, row, tiers));
  return { results };
}
