import type { CallInput, CallOutput } from '../../../services/cloud';
import { lastValidDay } from '../../../pages/coupons/coupon-text';
import { addDays, isDate } from '../dashboard/range';

export type TagView = CallOutput<'admin', 'tags.list'>['items'][number];
export type TagDraft = CallInput<'admin', 'tags.save'>['tag'];

/** Colours a tag may take: readable as chip backgrounds with white text. */
export const PALETTE = ['#8c2f39', '#d4380d', '#ad6800', '#237804', '#0958d9', '#531dab', '#595959'];

/** The tag form as typed; `rule` carries a rule tag's rule through an edit unchanged. */
export interface TagForm {
  id: string;
  nameZh: string;
  nameEn: string;
  category: string;
  colour: string;
  ttlDays: string;
  /** Last day the tag is put on (local date), '' for no end. */
  lastDay: string;
  kind: 'manual' | 'rule';
  rule: unknown;
}

export type FormProblem = 'badId' | 'noName' | 'noCategory' | 'badTtl' | 'badDay';

export const emptyForm = (): TagForm => ({
  id: '',
  nameZh: '',
  nameEn: '',
  category: '',
  colour: PALETTE[0]!,
  ttlDays: '',
  lastDay: '',
  kind: 'manual',
  rule: null,
});

/** The expiry instant: the end of the last day in the brand's zone (Shanghai). */
const expiryOf = (lastDay: string): string => new Date(`${addDays(lastDay, 1)}T00:00:00+08:00`).toISOString();
const lastDayOf = (expiresAt: string | null): string => (expiresAt ? lastValidDay(expiresAt) : '');

/** A saved tag back into the form (interaction tags are the product's own and are not edited). */
export function formOf(tag: TagView): TagForm | null {
  if (tag.kind === 'interaction') return null;
  return {
    id: tag.id,
    nameZh: tag.name.zh,
    nameEn: tag.name.en ?? '',
    category: tag.category,
    colour: tag.colour ?? PALETTE[0]!,
    ttlDays: tag.ttlDays === null ? '' : String(tag.ttlDays),
    lastDay: lastDayOf(tag.expiresAt),
    kind: tag.kind,
    rule: tag.rule ?? null,
  };
}

/** The form as the server's draft, or the first thing wrong with it. */
export function draftOf(f: TagForm): { tag: TagDraft } | { problem: FormProblem } {
  const id = f.id.trim();
  if (!/^[a-z][a-z0-9_]{1,47}$/.test(id)) return { problem: 'badId' };
  const zh = f.nameZh.trim();
  if (!zh) return { problem: 'noName' };
  if (!f.category) return { problem: 'noCategory' };
  const ttl = f.ttlDays.trim();
  if (ttl && !/^\d{1,4}$/.test(ttl)) return { problem: 'badTtl' };
  const days = ttl ? Number(ttl) : null;
  if (days !== null && (days < 1 || days > 3660)) return { problem: 'badTtl' };
  if (f.lastDay && !isDate(f.lastDay)) return { problem: 'badDay' };
  const en = f.nameEn.trim();
  const common = {
    id,
    category: f.category as TagDraft['category'],
    name: { zh, ...(en ? { en } : {}) },
    colour: f.colour,
    ...(f.lastDay ? { expiresAt: expiryOf(f.lastDay) } : {}),
  };
  if (f.kind === 'rule') return { tag: { ...common, kind: 'rule', rule: f.rule } as TagDraft };
  return { tag: { ...common, kind: 'manual', ttlDays: days } };
}
