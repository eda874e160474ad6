import {
  advanceRun,
  conditionsOf,
  onEvent,
  startRun,
  type Effect,
  type Journey,
  type JourneyEvent,
  type JourneyFacts,
  type JourneyRun,
  type StepRecord,
} from '../../core/journeys';
import { deadlineOf, deadlineTypeOf, hasConsent } from '../../core/messaging';
import { wechatTemplateId, type BrandMessaging } from '../messaging/brand';
import { decideWithLedger, emptyConsent, type Audience } from '../messaging/decision';
import type { ConsentDoc } from '../messaging/documents';
import { conditionText, stepText } from './explain';

/** Who the journey is played for: read once from a member, or described; then changed only in memory. */
export interface SimSubject {
  memberId: string;
  audience: Audience | null;
  consent: ConsentDoc | null;
  facts: JourneyFacts;
}

export interface TimelineEntry {
  at: Date;
  stepId: string;
  kind: string;
  detail: string;
  why: string;
}

export interface Simulation {
  entered: boolean;
  status: JourneyRun['status'] | 'not_entered';
  exitReason: string | null;
  timeline: TimelineEntry[];
}

type SendEffect = Extract<Effect, { kind: 'send' }>;

/**
 * Plays a journey for one subject from `trigger.at` to `until` on its own clock: the engine's
 * own startRun / onEvent / advanceRun, and each message decided by the production rule
 * (decideWithLedger: consent, opt-outs, quiet hours, caps) over a copy of the consent ledger.
 * Nothing is written and nothing is sent. A run advances at the instant it is due (the server's
 * timer does so within its period), and a message deferred by quiet hours is decided again when they end.
 */
export function simulateRun(
  journey: Journey,
  subject: SimSubject,
  brand: BrandMessaging,
  opts: { trigger: JourneyEvent; until: Date; events: JourneyEvent[] },
): Simulation {
  const j: Journey = { ...journey, enabled: true };
  const tz = brand.timeZone;
  const timeline: TimelineEntry[] = [];
  const log = (at: Date, stepId: string, kind: string, detail: string, why: string) =>
    timeline.push({ at, stepId, kind, detail, why });
  let run = startRun(j, opts.trigger, opts.trigger.at);
  if (!run) return { entered: false, status: 'not_entered', exitReason: 'trigger_filter', timeline };
  log(run.enteredAt, run.cursor ?? '', 'enter', j.trigger.event, '触发事件');

  const tags = new Set(subject.facts.tags ?? []);
  let consent = subject.consent ?? emptyConsent(subject.memberId, opts.trigger.at);
  const asksConsent = conditionsOf(j.steps).flatMap((c) => (c.type === 'consent' ? [c.template] : []));
  const factsNow = (): JourneyFacts => ({
    ...subject.facts,
    tags: [...tags],
    consents: asksConsent.filter((key) => hasConsent(consent.templates, wechatTemplateId(brand, key))),
  });
  const stepOf = (id: string) => j.steps.find((s) => s.id === id);
  const deferred: { until: Date; effect: SendEffect; decidedAt: Date }[] = [];

  const decide = (e: SendEffect, now: Date, decidedAt: Date): void => {
    const detail = `${e.channel}:${e.template}`;
    if (!subject.audience) return void log(now, e.stepId, 'skip', detail, 'member_not_found');
    const msg = { channel: e.channel, templateId: wechatTemplateId(brand, e.template), purpose: e.purpose };
    const { decision, consent: next } = decideWithLedger(msg, consent, subject.audience, now, tz);
    if (next) consent = next;
    if (decision.kind === 'send')
      log(
        now,
        e.stepId,
        'send',
        detail,
        e.purpose === 'transactional' ? '交易消息' : '营销消息：订阅、免打扰、频次均通过',
      );
    else if (decision.kind === 'skip') log(now, e.stepId, 'skip', detail, decision.reason);
    else {
      log(now, e.stepId, 'defer', detail, `quiet_hours → ${decision.until.toISOString()}`);
      deferred.push({ until: decision.until, effect: e, decidedAt });
    }
  };

  const apply = (e: Effect, now: Date): void => {
    switch (e.kind) {
      case 'send':
        return decide(e, now, now);
      case 'tag':
        if (e.op === 'add') tags.add(e.tag);
        else tags.delete(e.tag);
        return void log(now, e.stepId, 'tag', `${e.op === 'add' ? '+' : '−'}${e.tag}`, '标签');
      case 'grantCoupon':
        return void log(now, e.stepId, 'grantCoupon', e.templateId, '发券');
      case 'points':
        return void log(now, e.stepId, 'points', `+${e.amount}`, '积分');
      case 'webhook':
        return void log(now, e.stepId, 'webhook', new URL(e.url).host, 'Webhook');
      default: {
        const unknown: never = e;
        throw new Error(`unknown effect ${(unknown as { kind?: unknown }).kind}`);
      }
    }
  };

  const explain = (h: StepRecord, effects: Effect[], now: Date): void => {
    const step = stepOf(h.stepId);
    if (h.outcome === 'effect') {
      const e = effects.find((x) => x.key === h.effectKey);
      if (e) apply(e, now);
      return;
    }
    const detail = step ? stepText(step) : h.stepId;
    const why =
      h.outcome === 'then' || h.outcome === 'else'
        ? `${step?.type === 'branch' ? conditionText(step.condition) : ''} → ${h.outcome === 'then' ? '是' : '否'}`
        : h.outcome === 'event' || h.outcome === 'exit' || h.outcome === 'goal'
          ? (h.note ?? '')
          : h.outcome === 'timeout'
            ? '超时未发生'
            : '时间到';
    log(h.at, h.stepId, h.outcome, detail, why);
  };

  const pending = [...opts.events].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (;;) {
    const r: JourneyRun = run;
    const due = r.status === 'active' ? r.nextDueAt : null;
    const candidates = [pending[0]?.at, due ?? undefined, deferred[0]?.until].filter((d): d is Date => !!d);
    if (!candidates.length) break;
    const now = new Date(Math.min(...candidates.map((d) => d.getTime())));
    if (now.getTime() > opts.until.getTime()) break;
    if (pending[0] && pending[0].at.getTime() === now.getTime()) {
      const ev = pending.shift()!;
      const next = onEvent(j, r, ev, now);
      next.history.slice(r.history.length).forEach((h) => explain(h, [], now));
      run = next;
    } else if (due && due.getTime() === now.getTime()) {
      const { run: next, effects } = advanceRun(j, r, factsNow(), now, tz);
      next.history.slice(r.history.length).forEach((h) => explain(h, effects, now));
      run = next;
    } else {
      const d = deferred.shift()!;
      const deadline = deadlineOf(
        deadlineTypeOf({ template: d.effect.template, purpose: d.effect.purpose }),
        d.decidedAt,
        undefined,
        tz,
      );
      if (deadline.getTime() <= now.getTime())
        log(now, d.effect.stepId, 'expired', `${d.effect.channel}:${d.effect.template}`, 'expired:quiet_hours');
      else decide(d.effect, now, d.decidedAt);
    }
    deferred.sort((a, b) => a.until.getTime() - b.until.getTime());
  }
  const last: JourneyRun = run;
  if (last.status !== 'active') log(last.endedAt ?? opts.until, '$end', 'end', last.status, last.exitReason ?? '');
  return { entered: true, status: last.status, exitReason: last.exitReason, timeline };
}
