import type { z } from 'zod';
import type {
  authoringView,
  createJourney,
  duplicateJourney,
  getJourney,
  publishJourney,
  saveJourneyDraft,
} from '../../core/contracts/journeys';
import { DomainError, ErrorCodes } from '../../core/errors';
import {
  parseJourney,
  publication,
  type Journey,
  type JourneyStatus,
  type JourneyVersionDoc,
} from '../../core/journeys';
import { audit } from '../audit';
import { readDoc } from '../db/documents';
import { inTransaction, type Tx } from '../db/transaction';
import type { ActionContext } from '../kit/context';
import type { Handler } from '../kit/router';
import { requireStaff, staffActor, type StaffDoc } from '../staff/require';
import { liveBodyOf } from './store';
import type { AnyDb } from '../runtime/cloud';

type View = z.input<typeof authoringView>;
type JourneyDoc = Record<string, unknown> & {
  _id: string;
  status?: JourneyStatus;
  draft?: Journey | null;
  version?: number;
};

export const JOURNEYS_PERMISSION = 'journeys.manage' as const;

const notFound = (journeyId: string) =>
  new DomainError(ErrorCodes.JOURNEY_NOT_FOUND, `旅程不存在 / no journey ${journeyId}`, { journeyId });

/** A stored journey without the fields publishing sets: what a draft holds. */
function draftOf(j: Journey): Journey {
  const { version, ...rest } = j;
  void version;
  return rest as Journey;
}

/** The journey staff edit: the draft, else the live one; parsed, so an older document reads as today's schema. */
export function editedOf(doc: JourneyDoc): Journey {
  if (doc.draft) return parseJourney(doc.draft);
  const live = liveBodyOf(doc);
  if (!live) throw notFound(doc._id);
  return draftOf(parseJourney(live));
}

const statusOf = (doc: JourneyDoc): JourneyStatus => doc.status ?? 'live';

async function viewOf(ctx: ActionContext, doc: JourneyDoc): Promise<View> {
  const versions = (
    await (ctx.db as AnyDb)
      .collection('journey_versions')
      .where({ journeyId: doc._id })
      .orderBy('version', 'desc')
      .limit(50)
      .get()
  ).data as JourneyVersionDoc[];
  return {
    id: doc._id,
    status: statusOf(doc),
    version: typeof doc.version === 'number' ? doc.version : 0,
    draft: { ...editedOf(doc) },
    unpublished: !!doc.draft,
    versions: versions.map((v) => ({
      version: v.version,
      publishedAt: new Date(v.publishedAt).toISOString(),
      publishedBy: v.publishedBy,
    })),
  };
}

async function read(tx: Tx, journeyId: string): Promise<JourneyDoc | null> {
  const data = (await tx.collection('journeys').doc(journeyId).get()).data as Record<string, unknown> | null;
  return data ? ({ ...data, _id: journeyId } as JourneyDoc) : null;
}

/** One authoring change: staff check, then read, write and audit in one transaction. */
async function change(
  ctx: ActionContext,
  action: string,
  journeyId: string,
  write: (
    tx: Tx,
    doc: JourneyDoc | null,
    staff: StaffDoc,
    now: Date,
  ) => Promise<{ before: Record<string, unknown> | null; after: Record<string, unknown> }>,
): Promise<View> {
  const staff = await requireStaff(ctx, JOURNEYS_PERMISSION);
  const now = ctx.now();
  await inTransaction(ctx.db, async (tx) => {
    const { before, after } = await write(tx, await read(tx, journeyId), staff, now);
    await audit(tx, { ...staffActor(staff), at: now, action, target: `journeys/${journeyId}`, before, after });
  });
  const doc = await readDoc<Record<string, unknown>>(ctx.db, 'journeys', journeyId);
  return viewOf(ctx, { ...doc, _id: journeyId } as JourneyDoc);
}

function editable(doc: JourneyDoc | null, journeyId: string): JourneyDoc {
  if (!doc) throw notFound(journeyId);
  if (statusOf(doc) === 'archived')
    throw new DomainError(ErrorCodes.JOURNEY_ARCHIVED, `旅程已归档 / journey ${journeyId} is archived`, {
      journeyId,
    });
  return doc;
}

const exists = (journeyId: string) =>
  new DomainError(ErrorCodes.JOURNEY_EXISTS, `旅程编号已存在 / journey ${journeyId} exists`, { journeyId });

/** A fresh draft journey (never live until published). */
async function createDraft(tx: Tx, journey: Journey, staff: StaffDoc, now: Date): Promise<void> {
  if (await read(tx, journey.id)) throw exists(journey.id);
  await tx
    .collection('journeys')
    .doc(journey.id)
    .set({ data: { status: 'draft', draft: { ...journey }, updatedAt: now, updatedBy: staff._id } });
}

export const getJourneyAction: Handler<typeof getJourney> = async (input, ctx) => {
  await requireStaff(ctx, JOURNEYS_PERMISSION);
  const doc = await readDoc<Record<string, unknown>>(ctx.db, 'journeys', input.journeyId);
  if (!doc) throw notFound(input.journeyId);
  return viewOf(ctx, { ...doc, _id: input.journeyId });
};

export const createJourneyAction: Handler<typeof createJourney> = async (input, ctx) => {
  const journey = draftOf(parseJourney(input.journey));
  return change(ctx, 'journeys.create', journey.id, async (tx, _doc, staff, now) => {
    await createDraft(tx, journey, staff, now);
    return { before: null, after: { draft: journey } };
  });
};

export const saveJourneyDraftAction: Handler<typeof saveJourneyDraft> = async (input, ctx) => {
  const journey = draftOf(parseJourney({ ...input.journey, id: input.journeyId }));
  return change(ctx, 'journeys.saveDraft', input.journeyId, async (tx, found, staff, now) => {
    const doc = editable(found, input.journeyId);
    await tx
      .collection('journeys')
      .doc(doc._id)
      .update({ data: { draft: { ...journey }, updatedAt: now, updatedBy: staff._id } });
    return { before: { draft: doc.draft ?? null }, after: { draft: journey } };
  });
};

export const duplicateJourneyAction: Handler<typeof duplicateJourney> = async (input, ctx) => {
  return change(ctx, 'journeys.duplicate', input.newId, async (tx, _doc, staff, now) => {
    const source = await read(tx, input.journeyId);
    if (!source) throw notFound(input.journeyId);
    const from = editedOf(source);
    const copy = draftOf(
      parseJourney({ ...from, id: input.newId, name: input.name ?? `${from.name} 副本`.slice(0, 80) }),
    );
    await createDraft(tx, copy, staff, now);
    return { before: null, after: { from: input.journeyId, draft: copy } };
  });
};

export const archiveJourneyAction: Handler<typeof getJourney> = async (input, ctx) => {
  return change(ctx, 'journeys.archive', input.journeyId, async (tx, found, staff, now) => {
    const doc = editable(found, input.journeyId);
    // archived: admits no runs, and runs still waiting end at their next step (journey_disabled)
    await tx
      .collection('journeys')
      .doc(doc._id)
      .update({ data: { status: 'archived', enabled: false, archivedAt: now, updatedAt: now, updatedBy: staff._id } });
    return { before: { status: statusOf(doc) }, after: { status: 'archived' } };
  });
};

/**
 * Makes the draft the next version: the live document is replaced whole (new runs start on it)
 * and the version is kept apart, never changed again, for the runs that started on it.
 */
export const publishJourneyAction: Handler<typeof publishJourney> = async (input, ctx) => {
  return change(ctx, 'journeys.publish', input.journeyId, async (tx, found, staff, now) => {
    const doc = editable(found, input.journeyId);
    if (!doc.draft)
      throw new DomainError(
        ErrorCodes.JOURNEY_NO_DRAFT,
        `没有待发布的草稿 / nothing to publish in ${input.journeyId}`,
        { journeyId: input.journeyId },
      );
    const previous = typeof doc.version === 'number' ? doc.version : 0;
    const { doc: live, version } = publication(parseJourney(doc.draft), previous, now, staff._id);
    const { _id, ...versionBody } = version;
    await tx.collection('journeys').doc(doc._id).set({ data: live });
    await tx.collection('journey_versions').doc(_id).set({ data: versionBody });
    return {
      before: { version: previous, status: statusOf(doc) },
      after: { version: version.version, status: 'live' },
    };
  });
};
