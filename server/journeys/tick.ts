import type { HeldTag } from '../../core/portrait/tags';
import { advanceRun, type Effect, type Journey, type JourneyRun } from '../../core/journeys';
import { inTransaction, type Tx } from '../db/transaction';
import { pageAfter, type KeysetCursor } from '../db/keyset';
import type { SystemContext } from '../kit/context';
import { eachLimited } from '../kit/each-limited';
import { loadAudiences } from '../messaging/audience';
import { wechatTemplateId, type BrandMessaging } from '../messaging/brand';
import type { Audience } from '../messaging/decision';
import { enqueueEffectInTx, enqueueInTx } from '../messaging/outbox';
import { journeyFacts, type MemberRecord } from './facts';
import { RECOMMENDING } from '../messaging/content';
import { recommendationText } from '../behaviour/recommend';
import { runBody, runOf, sameVersion, type JourneyBook } from './store';
import { membersByIds, readMemberTx, updateMemberTx } from '../members/store';

const PAGE = 500;
const CONCURRENCY = 8;

async function applyEffect(
  tx: Tx,
  e: Effect,
  audience: Audience | null,
  brand: BrandMessaging,
  now: Date,
): Promise<void> {
  if (e.kind === 'send') {
    const data = { ...e.data };
    await enqueueInTx(
      tx,
      {
        key: e.key,
        memberId: e.memberId,
        channel: e.channel,
        template: e.template,
        purpose: e.purpose,
        data,
        journeyId: e.journeyId,
        runId: e.runId,
        stepId: e.stepId,
        ...(e.subjectId ? { subjectId: e.subjectId } : {}),
      },
      audience,
      brand,
      now,
    );
  } else if (e.kind === 'tag') {
    const m = await readMemberTx<{ _id: string; tags?: HeldTag[] }>(tx, e.memberId);
    if (!m) return;
    // held tags as the portrait keeps them; a journey's tag counts as an interaction tag
    const kept = (m.tags ?? []).filter((t) => t.tagId !== e.tag);
    const tags = e.op === 'add' ? [...kept, { tagId: e.tag, source: 'interaction' as const, at: now }] : kept;
    await updateMemberTx(tx, e.memberId, { tags });
  } else {
    const reason = `journey:${e.journeyId}`;
    const data =
      e.kind === 'webhook'
        ? { url: e.url, payload: e.payload }
        : e.kind === 'points'
          ? { points: e.amount, reason }
          : { templateId: e.templateId, reason };
    await enqueueEffectInTx(
      tx,
      {
        key: e.key,
        kind: e.kind,
        memberId: e.memberId,
        data,
        journeyId: e.journeyId,
        runId: e.runId,
        stepId: e.stepId,
      },
      now,
    );
  }
}

/**
 * Advances every active run that is due, in (nextDueAt, _id) order. Each run is written in one
 * transaction with its effects' outbox rows (decided and keyed `${runId}:${stepId}`); a run that
 * changed since it was read (an exit event, another tick) is left for the next tick.
 */
export async function advanceDueRuns(
  ctx: SystemContext,
  journeys: JourneyBook,
  brand: BrandMessaging,
  deadlineMs: number,
): Promise<{ advanced: number; effects: number }> {
  let advanced = 0;
  let effects = 0;
  let after: KeysetCursor | null = null;
  const now = ctx.now();
  while (Date.now() < deadlineMs) {
    // due runs in (nextDueAt, _id) order through the `status_nextDueAt` index
    const page = await pageAfter(ctx.db, 'journey_runs', {
      where: { status: 'active' },
      field: 'nextDueAt',
      upTo: now,
      after,
      limit: PAGE,
    });
    const runs = page.map(runOf);
    const memberIds = [...new Set(runs.map((r) => r.memberId))];
    const members = new Map<string, MemberRecord>();
    for (const m of await membersByIds<MemberRecord>(ctx.db, memberIds)) members.set(m._id, m);
    const audiences = await loadAudiences(ctx.db, memberIds, { withOa: false });
    // runs of different members advance side by side; one member's runs one after another (their
    // messages share the member's caps and consents)
    const byMember = new Map<string, JourneyRun[]>();
    for (const run of runs) byMember.set(run.memberId, [...(byMember.get(run.memberId) ?? []), run]);
    await eachLimited([...byMember.values()], CONCURRENCY, async (list) => {
      for (const run of list) {
        if (Date.now() >= deadlineMs) return;
        const journey = await journeys.forRun(run);
        if (!journey) continue;
        try {
          const made = await advanceOne(
            ctx,
            journey,
            run,
            members.get(run.memberId) ?? null,
            audiences.get(run.memberId) ?? null,
            brand,
            now,
          );
          effects += made; // after the await: `effects += await …` would add to a stale total
          advanced++;
        } catch (e) {
          ctx.log.error('journey run not advanced', { runId: run.runId, error: String((e as Error)?.stack ?? e) });
        }
      }
    });
    const last = runs[runs.length - 1];
    if (last) after = { at: last.nextDueAt as Date, id: last.runId };
    if (page.length < PAGE) break;
  }
  return { advanced, effects };
}

/** Sends of recommending templates get the member's recommended products in their data, read before the transaction. */
async function withRecommendations(ctx: SystemContext, effects: Effect[], now: Date): Promise<Effect[]> {
  return Promise.all(
    effects.map(async (e) =>
      e.kind === 'send' && RECOMMENDING.has(e.template)
        ? { ...e, data: { ...e.data, ...(await recommendationText(ctx.db, e.memberId, now)) } }
        : e,
    ),
  );
}

async function advanceOne(
  ctx: SystemContext,
  journey: Journey,
  run: JourneyRun,
  member: MemberRecord | null,
  audience: Audience | null,
  brand: BrandMessaging,
  now: Date,
): Promise<number> {
  const language = audience?.prefs.language ?? null;
  const templateIdOf = (key: string) => wechatTemplateId(brand, key);
  const facts = await journeyFacts(ctx.db, member, journey, now, brand.timeZone, language, templateIdOf);
  const { run: next, effects: planned } = advanceRun(journey, run, facts, now, brand.timeZone);
  const effects = await withRecommendations(ctx, planned, now);
  let full = audience;
  if (audience && effects.some((e) => e.kind === 'send' && e.channel === 'oa_custom'))
    full = (await loadAudiences(ctx.db, [run.memberId], { withOa: true })).get(run.memberId) ?? audience;
  return inTransaction(ctx.db, async (tx) => {
    const ref = tx.collection('journey_runs').doc(run.runId);
    const fresh = (await ref.get()).data;
    if (!fresh || !sameVersion(runOf(fresh), run)) return 0;
    await ref.set({ data: runBody(next) });
    for (const e of effects) await applyEffect(tx, e, full, brand, now);
    return effects.length;
  });
}
