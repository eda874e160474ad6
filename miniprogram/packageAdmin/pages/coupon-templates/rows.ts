import type { Dict, Lang } from '../../../i18n/index';
import type { CallOutput } from '../../../services/cloud';
import { benefitText, minSpendText, textIn } from '../../../pages/coupons/coupon-text';
import { fill } from '../../utils';
import type { TemplatesText } from './text';

type Template = CallOutput<'coupons', 'templates.list'>['items'][number];

/** One template as the list shows it: terms in words, and a stock bar (claimed of total). */
export interface TemplateRow {
  templateId: string;
  name: string;
  benefit: string;
  terms: string;
  channels: string;
  paused: boolean;
  state: string;
  limited: boolean;
  stockText: string;
  /** Claimed share of the total stock, 0–100, for the bar's width. */
  usedPercent: number;
  counts: string;
  claimed: number;
}

export function rowOf(x: Template, t: TemplatesText, text: Dict, lang: Lang): TemplateRow {
  const v = x.validity;
  const validity =
    v.kind === 'fixed' ? fill(t.validFixed, { from: v.fromDate, to: v.untilDate }) : fill(t.validDays, { n: v.days });
  const perMember = x.perMemberLimit === null ? t.perMemberNone : fill(t.perMember, { n: x.perMemberLimit });
  const channels =
    x.channels.map((c) => t.channels[c] ?? c).join(' · ') +
    (x.pointsCost !== null ? ` · ${fill(t.cost, { n: x.pointsCost })}` : '');
  const limited = x.totalStock !== null;
  return {
    templateId: x.templateId,
    name: textIn(x.name, lang),
    benefit: benefitText(x.benefit, text, lang),
    terms: [minSpendText(x.minSpendFen, text), validity, perMember].join(' · '),
    channels,
    paused: x.paused,
    state: x.paused ? t.paused : t.active,
    limited,
    stockText: limited ? fill(t.stock, { left: x.stockLeft ?? 0, total: x.totalStock ?? 0 }) : t.unlimited,
    usedPercent:
      limited && x.totalStock ? Math.min(100, Math.round((x.claimed / x.totalStock) * 100)) : limited ? 100 : 0,
    counts: fill(t.counts, { claimed: x.claimed, redeemed: x.redeemed }),
    claimed: x.claimed,
  };
}
