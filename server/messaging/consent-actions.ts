import type { z } from 'zod';
import type {
  prefs as prefsContract,
  recordConsent as recordContract,
  updatePrefs as updateContract,
} from '../../core/contracts/messaging';
import { recordSubscribeResult } from '../../core/messaging';
import { body, readDoc } from '../db/documents';
import { inTransaction } from '../db/transaction';
import type { ActionContext } from '../kit/context';
import type { MemberDoc } from '../members/documents';
import { prefsOf } from './audience';
import { emptyConsent } from './decision';
import type { ConsentDoc, PrefsDoc } from './documents';
import { callerMemberId } from './member';

type RecordIn = z.output<typeof recordContract.input>;
type PrefsOut = z.input<typeof prefsContract.output>;
type UpdateIn = z.output<typeof updateContract.input>;

/** The Mini Program reports what `wx.requestSubscribeMessage` answered: each accept adds one send. */
export async function recordConsent(input: RecordIn, ctx: ActionContext) {
  const memberId = await callerMemberId(ctx);
  const now = ctx.now();
  const longTerm = new Set(input.longTerm ?? []);
  const doc = await inTransaction(ctx.db, async (tx) => {
    const ref = tx.collection('consents').doc(memberId);
    const cur = ((await ref.get()).data as ConsentDoc | null) ?? emptyConsent(memberId, now);
    let templates = cur.templates;
    for (const [templateId, result] of Object.entries(input.results))
      templates = recordSubscribeResult(templates, templateId, result, now, { longTerm: longTerm.has(templateId) });
    const next: ConsentDoc = { ...cur, templates, updatedAt: now };
    await ref.set({ data: body(next) });
    return next;
  });
  return {
    templates: Object.fromEntries(
      Object.entries(doc.templates).map(([k, c]) => [
        k,
        { remaining: c.remaining, longTerm: c.longTerm, blocked: c.blocked },
      ]),
    ),
  };
}

async function load(ctx: ActionContext, memberId: string): Promise<PrefsOut> {
  const [member, doc] = await Promise.all([
    readDoc<MemberDoc>(ctx.db, 'members', memberId),
    readDoc<PrefsDoc>(ctx.db, 'message_prefs', memberId),
  ]);
  const p = prefsOf(member, doc);
  return { ...p, channelOptOut: [...p.channelOptOut] };
}

export async function getPrefs(ctx: ActionContext): Promise<PrefsOut> {
  return load(ctx, await callerMemberId(ctx));
}

export async function updatePrefs(input: UpdateIn, ctx: ActionContext): Promise<PrefsOut> {
  const memberId = await callerMemberId(ctx);
  const cur = await readDoc<PrefsDoc>(ctx.db, 'message_prefs', memberId);
  const next: PrefsDoc = {
    ...(cur ?? { _id: memberId }),
    ...input,
    ...(input.channelOptOut ? { channelOptOut: [...new Set(input.channelOptOut)] } : {}),
    _id: memberId,
    updatedAt: ctx.now(),
  };
  await ctx.db
    .collection('message_prefs')
    .doc(memberId)
    .set({ data: body(next) });
  return load(ctx, memberId);
}
