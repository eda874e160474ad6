import { randomBytes } from 'node:crypto';
import { stateOf } from '../../core/identity/member';
import type { Database } from '../runtime/cloud';
import type { Logger } from '../kit/logger';
import { inTransaction, type Tx } from '../db/transaction';
import { emit } from '../db/events';
import { body } from '../db/documents';
import { identityId, type IdentityDoc, type IdentityType, type MemberDoc } from '../members/documents';
import { mergeMembers } from './merge';
import { resolveMemberTx } from '../members/resolve';
import { insertMemberTx } from '../members/store';

export interface IdentityRef {
  type: IdentityType;
  value: string;
}

export interface LinkResult {
  memberId: string;
  created: boolean;
  /** Members merged into `memberId` by this link. */
  merged: string[];
  /** Identity ids this link added (orders waiting on them can now be attached). */
  linked: string[];
}

/** Writes `identities/{type}:{value}` pointing at the member, in the caller's transaction. */
export async function writeIdentity(tx: Tx, ref: IdentityRef, memberId: string, now: Date, via: string): Promise<void> {
  const identity: IdentityDoc = { _id: identityId(ref.type, ref.value), ...ref, memberId, linkedAt: now, via };
  await tx
    .collection('identities')
    .doc(identity._id)
    .set({ data: body(identity) });
}

export const newMemberId = (): string => `m_${randomBytes(10).toString('hex')}`;

export interface LinkOptions {
  via: string;
  seed?: Partial<MemberDoc>;
  reason: string;
  log?: Logger;
}

/** What one link did inside its transaction; `others` are the further members these ids lead to (to merge). */
export interface LinkStep {
  primaryId: string;
  created: boolean;
  others: string[];
  linked: string[];
}

/**
 * The transactional part of a link: reads the ids, attaches the unknown ones to the member the
 * known ones lead to (or to a new member `newId` built from `seed`), and names the other members
 * found, which the caller merges.
 */
export async function linkStepTx(
  tx: Tx,
  now: Date,
  ids: IdentityRef[],
  opts: LinkOptions,
  newId: string = newMemberId(),
): Promise<LinkStep> {
  const found = new Map<string, MemberDoc>();
  const missing: IdentityRef[] = [];
  for (const ref of ids) {
    const identity = (await tx.collection('identities').doc(identityId(ref.type, ref.value)).get())
      .data as IdentityDoc | null;
    const member = identity ? await resolveMemberTx(tx, identity.memberId) : null;
    if (member) found.set(member._id, member);
    else missing.push(ref);
  }
  let primaryId = [...found.keys()][0];
  let created = false;
  if (!primaryId) {
    const seed = opts.seed ?? {};
    const member: MemberDoc = {
      _id: newId,
      state: 'visitor',
      firstSeenAt: now,
      lastSeenAt: now,
      createdAt: now,
      ...seed,
    };
    member.state = stateOf(member);
    await insertMemberTx(tx, member);
    await emit(tx, { type: 'member.first_seen', memberId: member._id, at: now, data: { source: opts.via } });
    primaryId = member._id;
    created = true;
  }
  for (const ref of missing) await writeIdentity(tx, ref, primaryId, now, opts.via);
  return {
    primaryId,
    created,
    others: [...found.keys()].filter((k) => k !== primaryId),
    linked: missing.map((ref) => identityId(ref.type, ref.value)),
  };
}

/** Merges the other members a link step found into its member, one after another. */
export async function mergeFound(db: Database, now: Date, step: LinkStep, opts: LinkOptions): Promise<LinkResult> {
  let memberId = step.primaryId;
  const merged: string[] = [];
  for (const other of step.others) {
    const r = await mergeMembers(db, now, memberId, other, opts.reason, opts.log);
    merged.push(r.loserId === memberId ? memberId : other);
    memberId = r.survivorId;
  }
  return { memberId, created: step.created, merged, linked: step.linked };
}

/**
 * Says that these IDs are one person. Unknown IDs attach to the member the known ones lead to (or
 * to a new member built from `seed`); when they lead to several members, those merge into one.
 */
export async function linkIdentities(
  db: Database,
  now: Date,
  ids: IdentityRef[],
  opts: LinkOptions,
): Promise<LinkResult> {
  const step = await inTransaction(db, (tx) => linkStepTx(tx, now, ids, opts));
  return mergeFound(db, now, step, opts);
}
