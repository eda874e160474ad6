import { deadlineOf, deadlineTypeOf, type Channel, type DeadlineType, type SendDecision } from '../../core/messaging';
import { body } from '../db/documents';
import type { Tx } from '../db/transaction';
import { wechatTemplateId, type BrandMessaging } from './brand';
import { decideWithLedger, type Audience } from './decision';
import { freshOutboxFields, type ConsentDoc, type OutboxDoc } from './documents';

/** A message some rule wants sent; `key` makes it happen at most once. */
export interface MessageIntent {
  key: string;
  memberId: string;
  channel: Channel;
  template: string;
  purpose: 'marketing' | 'transactional';
  data: Record<string, string | number | boolean>;
  journeyId?: string;
  runId?: string;
  stepId?: string;
  campaignId?: string;
  subjectId?: string;
  /** The message type whose deadline applies, when the template alone does not say it. */
  deadlineType?: DeadlineType;
  /** The instant the message is about (a booking's start): a `before: 'subject'` deadline counts to it. */
  subjectAt?: Date;
}

/** decideSend's answer, or a member that no longer exists. */
type Decision = SendDecision | { kind: 'skip'; reason: 'member_not_found' };

function rowState(d: Decision, now: Date): Pick<OutboxDoc, 'state' | 'reason' | 'dueAt'> {
  if (d.kind === 'send') return { state: 'pending', reason: null, dueAt: now };
  if (d.kind === 'defer') return { state: 'deferred', reason: d.reason, dueAt: d.until };
  return { state: 'skipped', reason: d.reason, dueAt: now };
}

/** Writes the row under its key unless the key is in the outbox already; false when it was. */
async function insertOnceInTx(tx: Tx, key: string, row: () => Promise<OutboxDoc> | OutboxDoc): Promise<boolean> {
  const ref = tx.collection('outbox').doc(key);
  if ((await ref.get()).data) return false;
  await ref.set({ data: body(await row()) });
  return true;
}

/** An effect or notice that goes out now, under the short "notice" deadline. */
function noticeFields(now: Date) {
  return { reason: null, dueAt: now, deadlineAt: deadlineOf('notice', now), ...freshOutboxFields(now) };
}

async function decideInTx(
  tx: Tx,
  intent: Pick<MessageIntent, 'memberId' | 'channel' | 'template' | 'purpose'>,
  audience: Audience | null,
  brand: BrandMessaging,
  now: Date,
): Promise<Decision> {
  if (!audience) return { kind: 'skip', reason: 'member_not_found' } as Decision;
  const ref = tx.collection('consents').doc(intent.memberId);
  const stored = (await ref.get()).data as ConsentDoc | null;
  const msg = {
    channel: intent.channel,
    templateId: wechatTemplateId(brand, intent.template),
    purpose: intent.purpose,
  };
  const { decision, consent } = decideWithLedger(msg, stored, audience, now, brand.timeZone);
  if (consent) await ref.set({ data: body(consent) });
  return decision;
}

/**
 * Inside the caller's transaction: decides (consent, opt-outs, quiet hours, caps) and inserts
 * the outbox row under its key, consuming the consent in the same commit. A key already in the
 * outbox is left alone (null): a replayed journey step or campaign member sends nothing twice.
 */
export async function enqueueInTx(
  tx: Tx,
  intent: MessageIntent,
  audience: Audience | null,
  brand: BrandMessaging,
  now: Date,
): Promise<OutboxDoc | null> {
  let row: OutboxDoc | null = null;
  const inserted = await insertOnceInTx(tx, intent.key, async () => {
    const decision = await decideInTx(tx, intent, audience, brand, now);
    const { deadlineType, subjectAt, ...fields } = intent;
    row = {
      _id: intent.key,
      kind: 'message',
      ...fields,
      ...rowState(decision, now),
      deadlineAt: deadlineOf(
        deadlineTypeOf({ type: deadlineType, template: intent.template, purpose: intent.purpose }),
        now,
        subjectAt,
        brand.timeZone,
      ),
      ...freshOutboxFields(now),
    };
    return row;
  });
  return inserted ? row : null;
}

/** Non-message effects of a journey (webhook, coupon grant) under their keys, once. */
export async function enqueueEffectInTx(
  tx: Tx,
  e: {
    key: string;
    kind: 'webhook' | 'grantCoupon' | 'points';
    memberId: string;
    data: Record<string, unknown>;
    journeyId: string;
    runId: string;
    stepId: string;
  },
  now: Date,
): Promise<void> {
  await insertOnceInTx(tx, e.key, () => ({
    _id: e.key,
    ...e,
    state: e.kind === 'webhook' ? 'pending' : 'handoff',
    ...noticeFields(now),
  }));
}

/**
 * A transactional email to an address the member has not confirmed yet (the confirmation mail of
 * double opt-in): no consent decision (the person just asked for it), sent once under its key to
 * `to`, which the dispatcher takes over the member's confirmed address.
 */
export async function enqueueAddressedEmailInTx(
  tx: Tx,
  e: { key: string; memberId: string; to: string; template: string; data: Record<string, string> },
  now: Date,
): Promise<void> {
  await insertOnceInTx(tx, e.key, () => ({
    _id: e.key,
    key: e.key,
    kind: 'message',
    memberId: e.memberId,
    channel: 'email',
    template: e.template,
    purpose: 'transactional',
    data: { ...e.data, emailTo: e.to },
    state: 'pending',
    ...noticeFields(now),
  }));
}

/** A deferred row (quiet hours) whose time has come: decided again, as if new. */
export async function redecideInTx(
  tx: Tx,
  key: string,
  audience: Audience | null,
  brand: BrandMessaging,
  now: Date,
): Promise<OutboxDoc['state'] | null> {
  const ref = tx.collection('outbox').doc(key);
  const row = (await ref.get()).data as OutboxDoc | null;
  if (
    !row ||
    row.state !== 'deferred' ||
    new Date(row.dueAt).getTime() > now.getTime() ||
    !row.channel ||
    !row.template ||
    !row.purpose
  )
    return null;
  if (deadlineOfRow(row).getTime() <= now.getTime()) {
    await ref.update({ data: { state: 'failed', reason: 'expired:quiet_hours', decidedAt: now, endedAt: now } });
    return 'failed';
  }
  const decision = await decideInTx(
    tx,
    { memberId: row.memberId, channel: row.channel, template: row.template, purpose: row.purpose },
    audience,
    brand,
    now,
  );
  const next = rowState(decision, now);
  await ref.update({ data: { ...next, decidedAt: now } });
  return next.state;
}

/** A row's deadline; rows written before deadlines were kept get their type's deadline from createdAt. */
export function deadlineOfRow(row: Pick<OutboxDoc, 'deadlineAt' | 'template' | 'purpose' | 'createdAt'>): Date {
  if (row.deadlineAt) return new Date(row.deadlineAt);
  return deadlineOf(deadlineTypeOf({ template: row.template, purpose: row.purpose }), new Date(row.createdAt));
}
