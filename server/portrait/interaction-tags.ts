import { tagsForInteraction, type HeldTag, type TagDefinition } from '../../core/portrait/tags';
import type { Database } from '../runtime/cloud';
import { inTransaction } from '../db/transaction';
import type { MemberDoc } from '../members/documents';
import { resolveMemberTx } from '../members/resolve';
import { updateMemberTx } from '../members/store';

/** The member with its nightly review time, which a tag that expires earlier brings forward. */
type ReviewedMember = MemberDoc & { nextReviewAt?: Date | null };

/**
 * Puts on the interaction tags an event triggers (seed 002's "interactive" after a menu click or a
 * finished survey), dated from the event so a replayed event writes the same tags. The member is
 * due for review when the tag expires, so the nightly review takes it off.
 */
export async function applyInteractionTags(
  db: Database,
  definitions: readonly TagDefinition[],
  event: { type: string; memberId: string; at: Date },
): Promise<string[]> {
  const tags = tagsForInteraction(definitions, event.type, event.at);
  if (tags.length === 0) return [];
  return inTransaction(db, async (tx) => {
    const m = (await resolveMemberTx(tx, event.memberId)) as ReviewedMember | null;
    if (!m) return [];
    const held = m.tags ?? [];
    const newer = (t: HeldTag) => (h: HeldTag) =>
      h.tagId === t.tagId && h.source === t.source && new Date(h.at) >= t.at;
    const fresh = tags.filter((t) => !held.some(newer(t)));
    if (fresh.length === 0) return [];
    const ids = new Set(fresh.map((t) => t.tagId));
    const next: HeldTag[] = [...held.filter((h) => !ids.has(h.tagId)), ...fresh];
    const expiries = fresh.flatMap((t) => (t.expiresAt ? [t.expiresAt.getTime()] : []));
    const review = m.nextReviewAt ? new Date(m.nextReviewAt).getTime() : Infinity;
    const due = Math.min(review, ...expiries);
    const patch = { tags: next, ...(due < review ? { nextReviewAt: new Date(due) } : {}) };
    await updateMemberTx(tx, m._id, patch);
    return fresh.map((t) => t.tagId);
  });
}
