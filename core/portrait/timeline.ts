/**
 * A member's history on one timeline for staff: stage changes, orders, points, coupons, bookings and
 * messages, newest first. Each entry says what happened in a few words the admin page shows as is.
 */
export type TimelineKind = 'stage' | 'order' | 'points' | 'coupon' | 'booking' | 'message';

export interface TimelineEntry {
  at: Date;
  kind: TimelineKind;
  /** Short words for the entry: `window → first_time`, `paid 258.00`, `+120 earn`. */
  title: string;
  /** The record it came from, e.g. `orders/pos:A-1`. */
  ref: string;
  /** What the entry is about, in the brand's languages (a coupon's name), shown before the title. */
  name?: { zh: string; en?: string };
}

type Row = Record<string, unknown>;
const dateOf = (v: unknown): Date | null => {
  if (v instanceof Date) return v;
  if (typeof v === 'string' || typeof v === 'number') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
};
const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const yuan = (fen: unknown): string => (typeof fen === 'number' ? (fen / 100).toFixed(2) : '');

/** How each source collection becomes entries: the time field and the words. */
const SOURCES: Record<
  TimelineKind,
  { coll: string; at: string; title: (r: Row) => string; name?: (r: Row) => TimelineEntry['name'] }
> = {
  stage: { coll: 'stage_history', at: 'at', title: (r) => `${str(r.from) || '—'} → ${str(r.to)} (${str(r.cause)})` },
  order: { coll: 'orders', at: 'createdAt', title: (r) => `${str(r.status)} ${yuan(r.paidFen ?? r.totalFen)}`.trim() },
  points: {
    coll: 'points_ledger',
    at: 'at',
    title: (r) => `${Number(r.amount) > 0 ? '+' : ''}${str(r.amount)} ${str(r.kind)}`,
  },
  coupon: {
    coll: 'coupons',
    at: 'claimedAt',
    title: (r) => (r.name ? str(r.status) : `${str(r.templateId)} ${str(r.status)}`.trim()),
    name: (r) => {
      const n = r.name as Row | undefined;
      return n && str(n.zh) ? { zh: str(n.zh), ...(str(n.en) ? { en: str(n.en) } : {}) } : undefined;
    },
  },
  booking: { coll: 'appointments', at: 'start', title: (r) => `${str(r.storeId)} ${str(r.status)}`.trim() },
  message: {
    coll: 'outbox',
    at: 'createdAt',
    title: (r) => `${str(r.channel)} ${str(r.template)} ${str(r.state)}${r.reason ? ` (${str(r.reason)})` : ''}`,
  },
};

export const TIMELINE_SOURCES = SOURCES;

/** Rows of each source collection as one timeline, newest first, at most `limit` entries. */
export function buildTimeline(rows: Partial<Record<TimelineKind, readonly Row[]>>, limit: number): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (const kind of Object.keys(SOURCES) as TimelineKind[]) {
    const src = SOURCES[kind];
    for (const r of rows[kind] ?? []) {
      const at = dateOf(r[src.at]);
      const name = src.name?.(r);
      if (at) out.push({ at, kind, title: src.title(r), ref: `${src.coll}/${str(r._id)}`, ...(name ? { name } : {}) });
    }
  }
  return out.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit);
}
