import type { MemberView } from '../services/session';

export interface CardFields {
  tier: string;
  points: string;
  cardNo: string;
}

/**
 * The card as the home page shows it. Tier, points and card number are not in the login view
 * yet (later issues add them), so each is read optionally and shown as `missing` until then.
 */
export function cardFields(view: MemberView, missing: string): CardFields {
  const v = view as MemberView & { tier?: unknown; points?: unknown; cardNo?: unknown };
  const show = (x: unknown) => (typeof x === 'string' || typeof x === 'number' ? String(x) : missing);
  return { tier: show(v.tier), points: show(v.points), cardNo: show(v.cardNo) };
}

export const isCardHolder = (view: MemberView): boolean => view.state === 'member';
