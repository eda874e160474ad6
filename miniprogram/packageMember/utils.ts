import type { Dict, Lang } from '../i18n/index';
import { ClientErrorCodes, ServiceError, type CallOutput } from '../services/cloud';
import { codeText, inLanguage } from '../utils/view-state';
import { benefitText, fill, localDay, minSpendText, newRequestId, textIn } from '../pages/coupons/coupon-text';

/** Helpers the member subpackage's pages share. */
type Offer = CallOutput<'coupons', 'claimCentre'>['items'][number];

/** `wx.showModal` as a promise: true when confirmed. */
export function ask(content: string, confirmText?: string): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      content,
      ...(confirmText ? { confirmText } : {}),
      success: (r) => resolve(!!r.confirm),
      fail: () => resolve(false),
    });
  });
}

export interface OfferRow {
  templateId: string;
  name: string;
  benefit: string;
  minSpend: string;
  validity: string;
  stock: string;
  limit: string;
  cost: number | null;
  costText: string;
  claimable: boolean;
  blocked: string;
}

export function offerRow(o: Offer, text: Dict, lang: Lang): OfferRow {
  const v = o.validity;
  return {
    templateId: o.templateId,
    name: textIn(o.name, lang),
    benefit: benefitText(o.benefit, text, lang),
    minSpend: minSpendText(o.minSpendFen, text),
    validity:
      v.kind === 'fixed'
        ? fill(text.offer.validFixed, { from: v.fromDate, to: v.untilDate })
        : fill(text.offer.validDays, { n: v.days }),
    stock: o.remaining === null ? '' : fill(text.offer.remaining, { n: o.remaining }),
    limit: o.perMemberLimit === null ? '' : fill(text.offer.limit, { n: o.perMemberLimit, m: o.claimedByMember }),
    cost: o.pointsCost,
    costText: o.pointsCost === null ? '' : fill(text.offer.cost, { n: o.pointsCost }),
    claimable: o.claimable,
    // the server explains in Chinese; other languages say it by its code
    blocked: !o.blocked
      ? ''
      : ((text.offerBlocked as Record<string, string>)[o.blocked.code] ??
        codeText(o.blocked.code, lang) ??
        inLanguage(o.blocked.message, lang)),
  };
}

export { fill, localDay };

/**
 * One key per intended claim/exchange of a template: a retry after a network failure sends the same
 * key (the server then answers with the same coupon); after an answer, the next tap is a new intent.
 */
export function requestIdFor(keys: Record<string, string>, templateId: string, prefix: string): string {
  keys[templateId] ??= newRequestId(prefix);
  return keys[templateId];
}

export function settleRequestId(keys: Record<string, string>, templateId: string, err?: unknown): void {
  const unanswered =
    err instanceof ServiceError && (err.code === ClientErrorCodes.NETWORK || err.code === ClientErrorCodes.CALL_FAILED);
  if (!unanswered) delete keys[templateId];
}
