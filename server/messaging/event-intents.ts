import { recordSubscribeResult, type SubscribeResult } from '../../core/messaging';
import { body } from '../db/documents';
import { inTransaction } from '../db/transaction';
import type { SystemContext } from '../kit/context';
import { loadAudiences } from './audience';
import type { BrandMessaging } from './brand';
import { emptyConsent } from './decision';
import type { ConsentDoc } from './documents';
import { enqueueInTx } from './outbox';

/** What messaging takes from other features' events (journeys aside). */
export interface ForeignEvent {
  id: string;
  type: string;
  memberId: string;
  at: Date;
  data: Record<string, unknown>;
}

export const MESSAGING_EVENT_TYPES = ['message.subscribe_result', 'appointment.reminder_due'] as const;

/** Event ids already folded into a member's consent ledger: a page of events read twice after a crash adds nothing twice. */
const APPLIED_KEPT = 50;
const RESULTS = new Set<SubscribeResult>(['accept', 'reject', 'ban', 'filter']);

/**
 * `message.subscribe_result` (the appointments page asked for the reminder template): the answer
 * joins the member's consent ledger, where every send is counted, as if the Mini Program had
 * reported it to `messaging.recordConsent`.
 */
async function foldSubscribeResult(ctx: SystemContext, ev: ForeignEvent): Promise<void> {
  const templateId = ev.data['templateId'];
  const result = ev.data['result'] as SubscribeResult;
  if (typeof templateId !== 'string' || !RESULTS.has(result)) return;
  await inTransaction(ctx.db, async (tx) => {
    const ref = tx.collection('consents').doc(ev.memberId);
    const cur = ((await ref.get()).data as ConsentDoc | null) ?? emptyConsent(ev.memberId, ev.at);
    const applied = cur.appliedEvents ?? [];
    if (applied.includes(ev.id)) return;
    const templates = recordSubscribeResult(cur.templates, templateId, result, ev.at);
    await ref.set({
      data: body({ ...cur, templates, appliedEvents: [...applied, ev.id].slice(-APPLIED_KEPT), updatedAt: ctx.now() }),
    });
  });
}

const TEXT = {
  zh: { title: '预约提醒', kind: { '24h': '明天', '2h': '2 小时后' } as Record<string, string> },
  en: { title: 'Appointment reminder', kind: { '24h': 'Tomorrow', '2h': 'In 2 hours' } as Record<string, string> },
};

function localTime(at: Date, tz: string): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: tz,
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(at);
}

/**
 * `appointment.reminder_due` → one transactional subscription message under the reminder's key
 * (`appointment:<id>:<kind>:<start>`): it uses one of the member's consents for the template, and
 * is skipped as `no_consent` when none is left (one accept allows one send).
 */
async function enqueueReminder(ctx: SystemContext, ev: ForeignEvent, brand: BrandMessaging): Promise<void> {
  const d = ev.data;
  if (typeof d['templateId'] !== 'string' || typeof d['key'] !== 'string') return;
  const audience = (await loadAudiences(ctx.db, [ev.memberId], { withOa: false })).get(ev.memberId) ?? null;
  const text = TEXT[audience?.prefs.language === 'en' ? 'en' : 'zh'];
  const start = new Date(String(d['start']));
  const what = [d['serviceName'], d['storeName']].filter((x) => typeof x === 'string' && x).join(' · ');
  const when =
    `${text.kind[String(d['kind'])] ?? ''} ${Number.isNaN(start.getTime()) ? '' : localTime(start, brand.timeZone)}`.trim();
  const now = ctx.now();
  await inTransaction(ctx.db, (tx) =>
    enqueueInTx(
      tx,
      {
        key: `appointment:${d['key']}`,
        memberId: ev.memberId,
        channel: 'subscribe',
        template: d['templateId'] as string,
        purpose: 'transactional',
        data: {
          title: text.title,
          body: [what, when].filter(Boolean).join(' '),
          ...(typeof d['appointmentId'] === 'string' ? { appointmentId: d['appointmentId'] } : {}),
        },
        ...(typeof d['appointmentId'] === 'string' ? { subjectId: d['appointmentId'] } : {}),
        deadlineType: 'appointmentReminder',
        ...(Number.isNaN(start.getTime()) ? {} : { subjectAt: start }),
      },
      audience,
      brand,
      now,
    ),
  );
}

/** Applies one event of another feature that messaging acts on; other events are ignored. */
export async function applyMessagingEvent(
  ctx: SystemContext,
  ev: ForeignEvent,
  brand: () => Promise<BrandMessaging>,
): Promise<void> {
  if (ev.type === 'message.subscribe_result') await foldSubscribeResult(ctx, ev);
  else if (ev.type === 'appointment.reminder_due') await enqueueReminder(ctx, ev, await brand());
}
