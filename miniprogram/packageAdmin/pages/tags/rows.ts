import { localTime } from '../../../pages/coupons/coupon-text';
import type { CallOutput } from '../../../services/cloud';
import type { Lang } from '../../../i18n/index';
import { fill } from '../../utils';
import { PALETTE, type TagView } from './form';
import type { TagsText } from './text';

type Category = CallOutput<'admin', 'tags.list'>['categories'][number];
export type JobView = CallOutput<'admin', 'tags.job'>;

export interface TagRow {
  id: string;
  name: string;
  colour: string;
  /** Manual with holding days, rule, interaction; the expiry; archived. */
  detail: string;
  archived: boolean;
  editable: boolean;
}
export interface CategoryGroup {
  id: string;
  label: string;
  tags: TagRow[];
}

const GREY = '#8c8c8c';

function detailOf(tag: TagView, t: TagsText): string {
  const kind =
    tag.kind === 'manual'
      ? tag.ttlDays === null
        ? t.manualForever
        : fill(t.manualDays, { n: tag.ttlDays })
      : tag.kind === 'rule'
        ? t.ruleTag
        : t.interactionTag;
  const parts = [tag.id, kind];
  if (tag.expiresAt) parts.push(fill(t.expires, { time: localTime(tag.expiresAt) }));
  if (tag.archived) parts.push(t.archived);
  return parts.join(' · ');
}

/** The taxonomy by category, in the server's category order, live tags before archived ones. */
export function groupsOf(items: TagView[], categories: Category[], t: TagsText, lang: Lang): CategoryGroup[] {
  return categories.map((c) => ({
    id: c.id,
    label: c[lang],
    tags: items
      .filter((tag) => tag.category === c.id)
      .sort((a, b) => Number(a.archived) - Number(b.archived))
      .map((tag) => ({
        id: tag.id,
        name: (lang === 'en' && tag.name.en) || tag.name.zh,
        colour: tag.archived ? GREY : (tag.colour ?? PALETTE[0]!),
        detail: detailOf(tag, t),
        archived: tag.archived,
        editable: tag.kind !== 'interaction',
      })),
  }));
}

/** A bulk job's progress in words. */
export function jobText(job: JobView, tagName: string, t: TagsText): string {
  const op = job.op === 'add' ? t.opAdd : t.opRemove;
  const done = job.state === 'done';
  const state = done ? fill(t.jobDone, { time: localTime(job.finishedAt ?? job.createdAt) }) : t.jobRunning;
  return fill(t.jobLine, { op, tag: tagName, n: job.changed, state });
}
