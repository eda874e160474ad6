import type { CallInput } from '../../../services/cloud';
import type { TemplatesText } from './text';

type Draft = Omit<CallInput<'coupons', 'templates.create'>, 'requestId'>;
export type Kind = 'amountOff' | 'percentOff' | 'gift';
export type Channel = 'claimCentre' | 'grant' | 'pointsMall';

/** The create form as typed (strings from inputs). */
export interface TemplateForm {
  name: string;
  kind: Kind;
  amount: string;
  percent: string;
  gift: string;
  minSpend: string;
  days: string;
  stock: string;
  perMember: string;
  channel: Channel;
  pointsCost: string;
}

export const emptyForm = (): TemplateForm => ({
  name: '',
  kind: 'amountOff',
  amount: '',
  percent: '',
  gift: '',
  minSpend: '0',
  days: '30',
  stock: '100',
  perMember: '1',
  channel: 'claimCentre',
  pointsCost: '',
});

const num = (s: string): number => (s.trim() === '' ? NaN : Number(s.trim()));
const isWhole = (n: number, min: number, max = 10_000_000): boolean => Number.isInteger(n) && n >= min && n <= max;
const fen = (yuan: number): number => Math.round(yuan * 100);

/**
 * The form as the create contract wants it, or the first problem in the page's words. The server
 * checks again with the same schema; this only saves a round trip for the obvious mistakes.
 */
export function draftOf(f: TemplateForm, t: TemplatesText): { draft: Draft } | { problem: string } {
  const name = f.name.trim();
  if (!name) return { problem: t.invalid.name };
  let benefit: Draft['benefit'];
  if (f.kind === 'amountOff') {
    const yuan = num(f.amount);
    if (!(yuan > 0) || fen(yuan) < 1) return { problem: t.invalid.amount };
    benefit = { kind: 'amountOff', amountFen: fen(yuan) };
  } else if (f.kind === 'percentOff') {
    const p = num(f.percent);
    if (!(p >= 0.1 && p <= 99.9) || Math.abs(p * 10 - Math.round(p * 10)) > 1e-9) return { problem: t.invalid.percent };
    benefit = { kind: 'percentOff', percent: p };
  } else {
    if (!f.gift.trim()) return { problem: t.invalid.gift };
    benefit = { kind: 'gift', gift: { zh: f.gift.trim() } };
  }
  const minSpend = f.minSpend.trim() === '' ? 0 : num(f.minSpend);
  if (!(minSpend >= 0)) return { problem: t.invalid.minSpend };
  const days = num(f.days);
  if (!isWhole(days, 1, 3650)) return { problem: t.invalid.days };
  const stock = f.stock.trim() === '' ? null : num(f.stock);
  if (stock !== null && !isWhole(stock, 0)) return { problem: t.invalid.stock };
  const perMember = f.perMember.trim() === '' ? null : num(f.perMember);
  if (perMember !== null && !isWhole(perMember, 1)) return { problem: t.invalid.perMember };
  const cost = num(f.pointsCost);
  if (f.channel === 'pointsMall' && !isWhole(cost, 1)) return { problem: t.invalid.pointsCost };
  return {
    draft: {
      name: { zh: name },
      benefit,
      minSpendFen: fen(minSpend),
      validity: { kind: 'daysAfterClaim', days },
      totalStock: stock,
      perMemberLimit: perMember,
      channels: [f.channel],
      ...(f.channel === 'pointsMall' ? { pointsCost: cost } : {}),
    },
  };
}
