import type { CallOutput } from '../../../services/cloud';
import { fill } from '../../utils';
import type { JourneysText } from './text';

type Journey = CallOutput<'messaging', 'journeys.list'>['items'][number];

export interface StepRow {
  id: string;
  label: string;
  figures: string;
  /** Message figures, for steps that send. */
  messages: string;
}

/** One journey as the list shows it: switch state, totals and a line per step. */
export interface JourneyRow {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  /** 草稿 / 已发布 · 第 n 版 / 已归档 */
  version: string;
  trigger: string;
  totals: string;
  sentTotals: string;
  active: number;
  steps: StepRow[];
}

export function rowOf(j: Journey, t: JourneysText): JourneyRow {
  return {
    id: j.id,
    name: j.name,
    description: j.description ?? '',
    enabled: j.enabled,
    version:
      j.status === 'draft'
        ? (t.status['draft'] ?? j.status)
        : fill(t.versionOf, { status: t.status[j.status] ?? j.status, version: j.version }),
    trigger: fill(t.trigger, { event: t.events[j.trigger] ?? j.trigger }),
    totals: fill(t.totals, j.totals),
    sentTotals: fill(t.sentTotals, j.totals),
    active: j.totals.active,
    steps: j.steps.map((s) => ({
      id: s.id,
      label: `${t.steps[s.type] ?? s.type} · ${s.detail}`,
      figures: fill(t.stepFigures, s),
      messages: s.type === 'send' ? fill(t.stepMessages, s) : '',
    })),
  };
}
