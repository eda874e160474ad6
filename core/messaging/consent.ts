import { DomainError, ErrorCodes } from '../errors';

/** What `wx.requestSubscribeMessage` answered for one template. */
export type SubscribeResult = 'accept' | 'reject' | 'ban' | 'filter';

/** A member's standing for one subscription-message template. */
export interface TemplateConsent {
  /** One-time consents not yet used: each accept adds one, each send uses one. */
  remaining: number;
  /** Long-term templates (categories that allow it): accepted once, unlimited sends. */
  longTerm: boolean;
  /** Set by the latest answer: 'reject' (member said no) or 'ban' (template banned); clears on a later accept. */
  blocked: 'reject' | 'ban' | null;
  updatedAt: Date;
}

/** Per member: template id → consent. */
export type ConsentLedger = Readonly<Record<string, TemplateConsent>>;

const EMPTY = (at: Date): TemplateConsent => ({ remaining: 0, longTerm: false, blocked: null, updatedAt: at });

/**
 * Records one answer. The latest answer wins: a reject or ban drops the unused one-time
 * consents too (we never spend a consent the member has since taken back); 'filter' (the
 * platform filtered the template) changes nothing.
 */
export function recordSubscribeResult(
  ledger: ConsentLedger,
  templateId: string,
  result: SubscribeResult,
  at: Date,
  opts: { longTerm?: boolean } = {},
): ConsentLedger {
  const cur = ledger[templateId] ?? EMPTY(at);
  if (result === 'filter') return ledger;
  const next: TemplateConsent =
    result === 'accept'
      ? {
          remaining: opts.longTerm ? cur.remaining : cur.remaining + 1,
          longTerm: cur.longTerm || !!opts.longTerm,
          blocked: null,
          updatedAt: at,
        }
      : { remaining: 0, longTerm: false, blocked: result, updatedAt: at };
  return { ...ledger, [templateId]: next };
}

export function hasConsent(ledger: ConsentLedger, templateId: string): boolean {
  const c = ledger[templateId];
  return !!c && c.blocked === null && (c.longTerm || c.remaining > 0);
}

/** Uses one consent for a send (long-term templates use none). Throws NO_CONSENT when none is left. */
export function consumeConsent(ledger: ConsentLedger, templateId: string, at: Date): ConsentLedger {
  const c = ledger[templateId];
  if (!c || !hasConsent(ledger, templateId))
    throw new DomainError(ErrorCodes.NO_CONSENT, '用户未订阅该消息或授权次数已用完', { templateId });
  if (c.longTerm) return ledger;
  return { ...ledger, [templateId]: { ...c, remaining: c.remaining - 1, updatedAt: at } };
}
