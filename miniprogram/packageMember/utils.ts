import type { Dict, Lang } from '../i18n/index';
import type { CallOutput } from '../services/cloud';
import { codeText, inLanguage } from '../utils/view-state';
import { benefitText, fill, localDay, minSpendText, textIn } from '../pages/coupons/coupon-text';

/** Helpers the member subpackage's pages share. */
type Offer = CallOutput<'coupons', 'claimCentre'>['items'][number];

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

export { ask, requestIdFor, settleRequestId } from '../utils/requests';
