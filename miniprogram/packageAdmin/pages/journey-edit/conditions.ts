import type { Condition, ConditionDepthLimit } from '../../../../core/journeys';
import type { CallOutput } from '../../../services/cloud';
import type { Lang } from '../../../i18n/index';
import type { CondNode, Dimension } from '../../../components/condition-group/tree';
import { STAGE_LABELS } from '../segments/text';
import type { JourneyEditText } from './text';

/** The journey schema's limit on nested groups (the compiler holds the two equal). */
export const MAX_DEPTH: ConditionDepthLimit = 4;

export type Choices = CallOutput<'messaging', 'journeys.choices'>;

/** The leaf conditions the editor changes, in the order its picker lists them. */
const EDITED = ['tag', 'tier', 'stage', 'language', 'productCategory', 'consent', 'inSegment', 'activeWithin'] as const;
type Edited = (typeof EDITED)[number];
const isEdited = (type: string): type is Edited => (EDITED as readonly string[]).includes(type);

const named = (lang: Lang) => (x: { id: string; name: { zh: string; en?: string } }) => ({
  value: x.id,
  label: lang === 'en' ? (x.name.en ?? x.name.zh) : x.name.zh,
});
const plain = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));

/** What each leaf can ask about, with the brand's own values (none yet while `choices` is loading). */
export function dimensions(t: JourneyEditText, lang: Lang, choices: Choices | null): Dimension[] {
  const c = choices ?? { tags: [], tiers: [], stages: [], segments: [], categories: [], consents: [] };
  const stage = (s: string) => ({ value: s, label: STAGE_LABELS[s as keyof typeof STAGE_LABELS]?.[lang] ?? s });
  const options: Record<Edited, Dimension['options']> = {
    tag: c.tags.map(named(lang)),
    tier: c.tiers.map(named(lang)),
    stage: c.stages.map(stage),
    language: [
      { value: 'zh', label: t.languages.zh },
      { value: 'en', label: t.languages.en },
    ],
    productCategory: plain(c.categories),
    consent: plain(c.consents),
    inSegment: c.segments.map((s) => ({ value: s.id, label: s.name })),
    activeWithin: [],
  };
  const pick = (key: Edited): Dimension['pick'] =>
    key === 'tier' || key === 'stage' ? 'many' : key === 'activeWithin' ? 'text' : 'one';
  return EDITED.map((key) => ({
    key,
    label: t.conditions[key] ?? key,
    pick: pick(key),
    options: options[key],
    ...(key === 'activeWithin' ? { hint: t.fields['duration'] } : {}),
  }));
}

const valuesOf = (c: Extract<Condition, { type: Edited }>): string[] => {
  switch (c.type) {
    case 'tag':
      return [c.has];
    case 'tier':
    case 'stage':
      return [...c.in];
    case 'language':
    case 'productCategory':
      return [c.is];
    case 'consent':
      return [c.template];
    case 'inSegment':
      return [c.segmentId];
    case 'activeWithin':
      return [c.within];
  }
};

/** A journey condition as the editor's tree; conditions it does not edit are kept whole. */
export function toNode(c: Condition, t: JourneyEditText): CondNode {
  if (c.type === 'all' || c.type === 'any') return { kind: c.type, of: c.of.map((x) => toNode(x, t)) };
  if (c.type === 'not') return { kind: 'not', of: toNode(c.of, t) };
  if (isEdited(c.type))
    return { kind: 'leaf', dim: c.type, values: valuesOf(c as Extract<Condition, { type: Edited }>) };
  const what = c.type === 'attribute' ? c.name : c.type === 'eventWithin' ? `${c.event} · ${c.within}` : '';
  return { kind: 'kept', label: `${t.conditions[c.type] ?? c.type} ${what}`.trim(), value: c };
}

function leafCondition(dim: string, values: string[]): Condition {
  const one = values[0] ?? '';
  switch (dim as Edited) {
    case 'tag':
      return { type: 'tag', has: one };
    case 'tier':
    case 'stage':
      return { type: dim as 'tier' | 'stage', in: values };
    case 'language':
      return { type: 'language', is: one === 'en' ? 'en' : 'zh' };
    case 'productCategory':
      return { type: 'productCategory', is: one };
    case 'consent':
      return { type: 'consent', template: one };
    case 'inSegment':
      return { type: 'inSegment', segmentId: one };
    default:
      return { type: 'activeWithin', within: one };
  }
}

/** The tree back as a journey condition: what the server's schema then judges. */
export function toCondition(n: CondNode): Condition {
  switch (n.kind) {
    case 'all':
    case 'any':
      return { type: n.kind, of: n.of.map(toCondition) };
    case 'not':
      return { type: 'not', of: toCondition(n.of) };
    case 'kept':
      return n.value as Condition;
    case 'leaf':
      return leafCondition(n.dim, n.values);
  }
}
