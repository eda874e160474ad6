import type { CallOutput } from '../../../services/cloud';
import { lastValidDay, localDay, localTime } from '../../../pages/coupons/coupon-text';
import { fill, yuan } from '../../utils';
import type { MemberText } from './text';

export type Timeline = CallOutput<'admin', 'members.timeline'>;

/** Timeline entries shown at a time; the rest come at the bottom of the page. */
export const TIMELINE_PAGE = 20;
const STAGE_CHANGES = 5;

export interface Entry {
  key: string;
  kind: string;
  label: string;
  title: string;
  at: string;
}

/** The timeline in words: RFM, LTV with its forecast, tags with their source, stage changes and every entry. */
export interface TimelineShown {
  rfm: string;
  ltv: string;
  ltvForecast: string;
  tags: { id: string; line: string }[];
  stages: Entry[];
  entries: Entry[];
}

export function timelineShown(tl: Timeline, t: MemberText): TimelineShown {
  const w = t.timeline;
  const entries = tl.items.map((e) => ({
    key: e.ref,
    kind: e.kind,
    label: w.kinds[e.kind] ?? e.kind,
    title: e.name ? `${(w.nameIn === 'en' ? e.name.en : undefined) ?? e.name.zh} ${e.title}`.trim() : e.title,
    at: localTime(e.at),
  }));
  return {
    rfm: tl.rfm ? fill(w.rfmValue, tl.rfm) : w.noRfm,
    ltv: yuan(tl.ltvFen),
    ltvForecast: yuan(tl.ltvForecastFen),
    tags: tl.tags.map((x) => ({
      id: x.tagId,
      line:
        fill(w.tagLine, { source: w.sources[x.source] ?? x.source, since: x.at ? localDay(x.at) : t.unknown }) +
        (x.expiresAt ? fill(w.tagUntil, { until: lastValidDay(x.expiresAt) }) : ''),
    })),
    stages: entries.filter((e) => e.kind === 'stage').slice(0, STAGE_CHANGES),
    entries,
  };
}
