import type { CallOutput } from '../../../services/cloud';
import { localTime } from '../../../pages/coupons/coupon-text';
import type { Lang } from '../../../i18n/index';
import { fill } from '../../utils';
import { CAMPAIGN_TEMPLATES, type SegmentsText } from './text';

export type SegmentView = CallOutput<'messaging', 'segments.list'>['items'][number];
type CampaignView = CallOutput<'messaging', 'campaigns.list'>['items'][number];

export interface SegmentRow extends SegmentView {
  updatedText: string;
}
export interface MetricCell {
  key: string;
  label: string;
  value: number;
}
export interface CampaignRow {
  id: string;
  name: string;
  state: CampaignView['state'];
  stateText: string;
  /** segment · template */
  detail: string;
  cells: MetricCell[];
}

export const segmentRow = (s: SegmentView, t: SegmentsText): SegmentRow => ({
  ...s,
  updatedText: fill(t.updated, { time: localTime(s.updatedAt) }),
});

function stateText(c: CampaignView, t: SegmentsText): string {
  if (c.error === 'segment_missing') return t.segmentGone;
  if (c.state === 'scheduled') return fill(t.stateScheduled, { time: localTime(c.sendAt) });
  return c.state === 'enqueuing' ? t.stateEnqueuing : fill(t.stateEnqueued, { time: localTime(c.sendAt) });
}

/** A campaign as a card: its state and time, where it went, and its figures (skips summed over reasons). */
export function campaignRow(c: CampaignView, t: SegmentsText, lang: Lang): CampaignRow {
  const m = c.metrics;
  const template = CAMPAIGN_TEMPLATES[c.template as keyof typeof CAMPAIGN_TEMPLATES]?.[lang] ?? c.template;
  return {
    id: c.id,
    name: c.name,
    state: c.state,
    stateText: stateText(c, t),
    detail: `${c.segment.name ?? c.segment.id} · ${template}`,
    cells: [
      { key: 'entered', label: t.entered, value: m.entered },
      { key: 'sent', label: t.sent, value: m.sent },
      { key: 'skipped', label: t.skipped, value: Object.values(m.skipped).reduce((a, b) => a + b, 0) },
      { key: 'waiting', label: t.waiting, value: m.pending + m.deferred },
      { key: 'failed', label: t.failed, value: m.failed + m.unknown },
      { key: 'converted', label: t.converted, value: m.converted },
    ],
  };
}

/** Page `next` appended to `rows`, without the ones already shown (a save moves a segment to the front). */
export const appendNew = <T extends { id: string }>(rows: T[], next: T[]): T[] => [
  ...rows,
  ...next.filter((n) => !rows.some((r) => r.id === n.id)),
];
