import type { Lang, Dict } from '../../../i18n/index';
import type { CallOutput } from '../../../services/cloud';
import {
  benefitText,
  lastValidDay,
  localDay,
  localTime,
  minSpendText,
  textIn,
} from '../../../pages/coupons/coupon-text';
import { fill } from '../../utils';
import { codeText } from '../../../utils/view-state';
import type { ScanText } from './text';

export type Inspected = CallOutput<'coupons', 'inspect'>;
export type InspectStatus = Inspected['status'];

/** The refusal redeeming would get, by status. */
const STATUS_REFUSAL: Record<Exclude<InspectStatus, 'usable'>, string> = {
  used: 'COUPON_ALREADY_USED',
  expired: 'COUPON_EXPIRED',
  notYetValid: 'COUPON_NOT_YET_VALID',
};

/** A scanned coupon as the confirm step shows it: every field already in words. */
export interface ShownCoupon {
  code: string;
  display: string;
  name: string;
  value: string;
  minSpend: string;
  status: InspectStatus;
  statusText: string;
  period: string;
  holder: string;
  memberId: string;
  stores: string;
  /** Can be redeemed at the chosen store now (the order amount is checked when redeeming). */
  redeemable: boolean;
  /** Why not, when it cannot. */
  blocked: string;
}

/** The inspect answer in the page's words (`text` is the main dictionary, for the coupon wording the wallet uses). */
export function shownCoupon(c: Inspected, t: ScanText, text: Dict, lang: Lang): ShownCoupon {
  const storeNames = c.stores ? c.stores.map((s) => textIn(s.name, lang)).join('、') : '';
  const holderName = c.holder.displayName ?? t.holderNameless;
  const params = {
    usedAt: c.usedAt ? localTime(c.usedAt) : '',
    validUntil: localTime(c.validUntil),
    validFrom: localTime(c.validFrom),
    stores: storeNames,
  };
  // without a store to judge for, the status alone decides
  const why = c.here
    ? c.here.blocked
    : c.status === 'usable'
      ? null
      : { code: STATUS_REFUSAL[c.status], message: t.statuses[c.status] };
  return {
    code: c.code,
    display: c.codeDisplay,
    name: textIn(c.name, lang),
    value: benefitText(c.benefit, text, lang),
    minSpend: minSpendText(c.minSpendFen, text),
    status: c.status,
    statusText: t.statuses[c.status],
    period: fill(text.coupon.validity, { from: localDay(c.validFrom), to: lastValidDay(c.validUntil) }),
    holder: c.holder.cardNo
      ? fill(t.holderWithCard, { name: holderName, cardNo: c.holder.cardNo })
      : fill(t.holder, { name: holderName }),
    memberId: c.holder.memberId,
    stores: c.stores ? fill(t.onlyStores, { stores: storeNames }) : text.coupon.allStores,
    redeemable: why === null,
    blocked: why
      ? t.blocked[why.code]
        ? fill(t.blocked[why.code]!, params)
        : (codeText(why.code, lang) ?? why.message)
      : '',
  };
}
