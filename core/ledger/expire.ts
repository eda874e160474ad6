import type { Consumption, Lot } from './types';
import { byExpiry } from './lots';

const DAY_MS = 86_400_000;

export interface ExpirePlan {
  /** One consumption per lot that is due; the server writes one expire row per lot (key: `expire:<lotId>`). */
  expired: Consumption[];
  total: number;
}

/**
 * Everything due at `now` expires: lots with points left whose expiry has passed. A lot's
 * remaining becomes 0, so running again expires nothing more, however far the clock jumped.
 */
export function planExpire(lots: readonly Lot[], now: Date): ExpirePlan {
  const expired = lots
    .filter((l) => l.remaining > 0 && l.expiresAt.getTime() <= now.getTime())
    .sort(byExpiry)
    .map((l) => ({ lotId: l.lotId, amount: l.remaining }));
  return { expired, total: expired.reduce((s, c) => s + c.amount, 0) };
}

export interface ExpiringSoon {
  total: number;
  /** The first instant at which some of these points expire, if any. */
  earliest: Date | null;
  lots: { lotId: string; remaining: number; expiresAt: Date }[];
}

/** Points still valid at `now` that expire within the next `withinDays` days (for reminders and the points page). */
export function expiringSoon(lots: readonly Lot[], now: Date, withinDays: number): ExpiringSoon {
  const t = now.getTime();
  const until = t + withinDays * DAY_MS;
  const due = lots
    .filter((l) => l.remaining > 0 && l.expiresAt.getTime() > t && l.expiresAt.getTime() <= until)
    .sort(byExpiry)
    .map((l) => ({ lotId: l.lotId, remaining: l.remaining, expiresAt: l.expiresAt }));
  return { total: due.reduce((s, l) => s + l.remaining, 0), earliest: due[0]?.expiresAt ?? null, lots: due };
}
