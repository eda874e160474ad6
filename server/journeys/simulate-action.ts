import type { z } from 'zod';
import type { simProfile, simulateJourney } from '../../core/contracts/journeys';
import { DomainError, ErrorCodes } from '../../core/errors';
import { parseDuration, parseJourney, type Journey, type JourneyEvent } from '../../core/journeys';
import { recordSubscribeResult, type ConsentLedger } from '../../core/messaging';
import { auditNow } from '../audit';
import { readDoc } from '../db/documents';
import type { ActionContext } from '../kit/context';
import { loadAudiences, prefsOf } from '../messaging/audience';
import { brandMessaging, wechatTemplateId, type BrandMessaging } from '../messaging/brand';
import { emptyConsent } from '../messaging/decision';
import type { ConsentDoc } from '../messaging/documents';
import { requireStaff, staffActor } from '../staff/require';
import { editedOf, JOURNEYS_PERMISSION } from './authoring';
import { journeyFacts, type MemberRecord } from './facts';
import { simulateRun, type SimSubject } from './simulate';
import { liveBodyOf } from './store';

type Input = z.output<typeof simulateJourney.input>;
type Profile = z.output<typeof simProfile>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * A real member, read once (member, reach, consents, what the branches ask); the simulation then
 * changes only its copy.
 */
async function memberSubject(
  ctx: ActionContext,
  memberId: string,
  journey: Journey,
  brand: BrandMessaging,
  at: Date,
): Promise<SimSubject> {
  const member = await readDoc<MemberRecord>(ctx.db, 'members', memberId);
  if (!member) throw new DomainError(ErrorCodes.MEMBER_NOT_FOUND, `会员不存在 / no member ${memberId}`, { memberId });
  const audience = (await loadAudiences(ctx.db, [memberId], { withOa: true })).get(memberId) ?? null;
  const consent = await readDoc<ConsentDoc>(ctx.db, 'consents', memberId);
  const language = audience?.prefs.language ?? null;
  const facts = await journeyFacts(ctx.db, { ...member, _id: memberId }, journey, at, brand.timeZone, language, (k) =>
    wechatTemplateId(brand, k),
  );
  return { memberId, audience, consent, facts };
}

/** A described member: the same shapes the server reads for a real one, built from the profile. */
export function profileSubject(p: Profile, brand: BrandMessaging, at: Date): SimSubject {
  const memberId = 'simulated';
  const lastOa = p.oaActiveHoursAgo === null ? null : new Date(at.getTime() - p.oaActiveHoursAgo * HOUR);
  const prefs = prefsOf(null, {
    _id: memberId,
    updatedAt: at,
    marketingOptOut: p.marketingOptOut,
    language: p.language,
  });
  const templates = p.consents.reduce<ConsentLedger>(
    (ledger, key) => recordSubscribeResult(ledger, wechatTemplateId(brand, key), 'accept', at),
    {},
  );
  return {
    memberId,
    audience: {
      memberId,
      openid: 'simulated-openid',
      oaOpenid: p.isFollower ? 'simulated-oa-openid' : null,
      email: p.hasEmail ? 'simulated@example.invalid' : null,
      isFollower: p.isFollower,
      lastOaInteractionAt: lastOa,
      prefs,
    },
    consent: { ...emptyConsent(memberId, at), templates },
    facts: {
      language: p.language,
      lastActiveAt: lastOa,
      segmentIds: p.segmentIds,
      tags: p.tags,
      stage: p.stage,
      tier: p.tier,
      attributes: { ...p.attributes, isFollower: p.isFollower, isMember: p.isMember, referred: p.referred },
    },
  };
}

async function journeyToPlay(ctx: ActionContext, input: Input): Promise<Journey> {
  const doc = await readDoc<Record<string, unknown>>(ctx.db, 'journeys', input.journeyId);
  if (!doc)
    throw new DomainError(ErrorCodes.JOURNEY_NOT_FOUND, `旅程不存在 / no journey ${input.journeyId}`, {
      journeyId: input.journeyId,
    });
  const withId = { ...doc, _id: input.journeyId };
  if (input.source === 'draft') return editedOf(withId);
  const live = liveBodyOf(withId);
  if (!live)
    throw new DomainError(ErrorCodes.JOURNEY_NOT_FOUND, `旅程尚未发布 / ${input.journeyId} is not live`, {
      journeyId: input.journeyId,
    });
  return parseJourney(live);
}

/** messaging journeys.simulate: the timeline a journey would make for one member, nothing written but the audit row. */
export async function simulateJourneyAction(
  input: Input,
  ctx: ActionContext,
): Promise<z.input<typeof simulateJourney.output>> {
  const staff = await requireStaff(ctx, JOURNEYS_PERMISSION);
  const journey = await journeyToPlay(ctx, input);
  const brand = await brandMessaging(ctx.db);
  const start = input.start ? new Date(input.start) : ctx.now();
  const subject = input.memberId
    ? await memberSubject(ctx, input.memberId, journey, brand, start)
    : profileSubject(input.profile!, brand, start);
  const trigger: JourneyEvent = {
    id: 'simulated',
    type: journey.trigger.event,
    memberId: subject.memberId,
    at: start,
    data: input.trigger.data,
    ...(input.trigger.subjectId ? { subjectId: input.trigger.subjectId } : {}),
  };
  const events: JourneyEvent[] = input.events.map((e, i) => ({
    id: `simulated-${i}`,
    type: e.type,
    memberId: subject.memberId,
    at: new Date(start.getTime() + parseDuration(e.after)),
    data: e.data,
    ...(e.subjectId ? { subjectId: e.subjectId } : {}),
  }));
  const sim = simulateRun(journey, subject, brand, {
    trigger,
    until: new Date(start.getTime() + input.days * DAY),
    events,
  });
  await auditNow(ctx.db, {
    ...staffActor(staff),
    at: ctx.now(),
    action: 'journeys.simulate',
    target: `journeys/${input.journeyId}`,
    before: null,
    after: { source: input.source, memberId: input.memberId ?? null, days: input.days, status: sim.status },
  });
  return { ...sim, timeline: sim.timeline.map((t) => ({ ...t, at: t.at.toISOString() })) };
}
