import type { z } from 'zod';
import type { archiveTag, listTags, saveTag } from '../../core/contracts/tags';
import {
  DEFAULT_TAGS,
  TAG_CATEGORIES,
  TAG_CATEGORY_NAMES,
  tagDefinitionSchema,
  type TagDefinition,
} from '../../core/portrait';
import { DomainError, ErrorCodes } from '../../core/errors';
import { audit } from '../audit';
import { inTransaction, type Tx } from '../db/transaction';
import type { ActionContext } from '../kit/context';
import type { Database } from '../runtime/cloud';
import { forgetTagTaxonomy, tagTaxonomy } from '../portrait/settings';
import { requireStaff, staffActor } from '../staff/require';

type ListOut = z.input<typeof listTags.output>;
type Draft = z.output<typeof saveTag.input>['tag'];

/** A definition as its document: no id (the document's address) and no unset fields. */
const docOf = (def: TagDefinition): Record<string, unknown> =>
  Object.fromEntries(Object.entries(def).filter(([k, v]) => k !== 'id' && v !== undefined));

const viewOf = (t: TagDefinition): ListOut['items'][number] => ({
  id: t.id,
  category: t.category,
  kind: t.kind,
  name: t.name,
  colour: t.colour ?? null,
  ttlDays: t.kind === 'manual' || t.kind === 'interaction' ? t.ttlDays : null,
  expiresAt: t.expiresAt ? t.expiresAt.toISOString() : null,
  archived: t.archived === true,
  ...(t.kind === 'rule' ? { rule: t.rule } : {}),
});

/** admin tags.list: the taxonomy (the brand's, or the starting one while the brand has none) with the categories. */
export async function listTagsAction(input: z.output<typeof listTags.input>, ctx: ActionContext): Promise<ListOut> {
  await requireStaff(ctx, 'member.tag');
  const tags = await tagTaxonomy(ctx.db, ctx.now().getTime(), { fresh: true });
  return {
    items: tags.filter((t) => input.includeArchived || !t.archived).map(viewOf),
    categories: TAG_CATEGORIES.map((id) => ({ id, ...TAG_CATEGORY_NAMES[id] })),
  };
}

/** The brand's taxonomy starts as the default one: written out on the first change, so editing one tag keeps the rest. */
async function ensureTaxonomy(db: Database): Promise<void> {
  const some = (await db.collection('tags').limit(1).get()) as { data: unknown[] };
  if (some.data.length > 0) return;
  // set by id: two first edits at once write the same documents
  for (const def of DEFAULT_TAGS)
    await db
      .collection('tags')
      .doc(def.id)
      .set({ data: docOf(def) });
}

const readTag = async (tx: Tx, id: string): Promise<TagDefinition | null> => {
  const doc = (await tx.collection('tags').doc(id).get()).data as Record<string, unknown> | null;
  return doc ? tagDefinitionSchema.parse({ ...doc, id }) : null;
};

/** admin tags.save: create or replace a manual or rule tag, audited with the definition before and after. */
export async function saveTagAction(input: z.output<typeof saveTag.input>, ctx: ActionContext) {
  const staff = await requireStaff(ctx, 'tags.manage');
  const now = ctx.now();
  const draft: Draft = input.tag;
  await ensureTaxonomy(ctx.db);
  await inTransaction(ctx.db, async (tx) => {
    const before = await readTag(tx, draft.id);
    if (before?.kind === 'interaction') {
      throw new DomainError(ErrorCodes.TAG_RETIRED, '互动标签由系统维护 / interaction tags are kept by the system', {
        id: draft.id,
      });
    }
    const def = tagDefinitionSchema.parse({ ...draft, archived: before?.archived ?? false });
    await tx
      .collection('tags')
      .doc(def.id)
      .set({ data: docOf(def) });
    await audit(tx, {
      ...staffActor(staff),
      at: now,
      action: 'tags.save',
      target: `tags/${def.id}`,
      before: before ? docOf(before) : null,
      after: docOf(def),
    });
  });
  forgetTagTaxonomy();
  return { id: draft.id };
}

/** admin tags.archive: archive (or bring back) a tag; an archived tag is taken off members at their next review. */
export async function archiveTagAction(input: z.output<typeof archiveTag.input>, ctx: ActionContext) {
  const staff = await requireStaff(ctx, 'tags.manage');
  const now = ctx.now();
  await ensureTaxonomy(ctx.db);
  await inTransaction(ctx.db, async (tx) => {
    const before = await readTag(tx, input.id);
    if (!before) throw new DomainError(ErrorCodes.TAG_NOT_FOUND, '标签不存在 / no such tag', { id: input.id });
    await tx
      .collection('tags')
      .doc(input.id)
      .update({ data: { archived: input.archived } });
    await audit(tx, {
      ...staffActor(staff),
      at: now,
      action: 'tags.archive',
      target: `tags/${input.id}`,
      before: { archived: before.archived === true },
      after: { archived: input.archived },
    });
  });
  forgetTagTaxonomy();
  return { id: input.id, archived: input.archived };
}
