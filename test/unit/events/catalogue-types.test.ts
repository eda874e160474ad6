import { EVENT_CATALOGUE, isEventType, type EventType } from '../../../core/events';
import { advanceRun, journeySchema, startRun, type Journey, type JourneyInput } from '../../../core/journeys';
import { parseTagTaxonomy, tagsForInteraction, DEFAULT_TAGS, type TagDefinitionInput } from '../../../core/portrait';
import type { DomainEvent } from '../../../server/db/events';

/**
 * The catalogue checked by the type-check: each `@ts-expect-error` below names an event nothing
 * emits, so tsc (`npm run typecheck`) fails the day it stops being an error. The runtime halves
 * show stored documents (journeys, the brand's tag taxonomy) are refused the same way.
 */
const at = new Date('2026-05-04T02:00:00Z');

const journeyOn = (trigger: JourneyInput['trigger'], exitOn: JourneyInput['exitOn'] = []): JourneyInput => ({
  id: 'typed',
  name: 'typed',
  enabled: true,
  trigger,
  exitOn,
  steps: [{ id: 'hello', type: 'send', channel: 'oa_custom', template: 'menu_article' }],
});

test('a journey triggered by an event nothing emits does not type-check and is refused', () => {
  // @ts-expect-error 'menu.clicked' is not in the catalogue: the OA callback emits 'oa.menu_clicked'
  const wrong = journeyOn({ event: 'menu.clicked' });
  expect(journeySchema.safeParse(wrong).success).toBe(false);
  expect(journeySchema.safeParse(journeyOn({ event: 'oa.menu_clicked' })).success).toBe(true);
});

test('an exit on an event nothing emits does not type-check and is refused', () => {
  // @ts-expect-error 'order.cancelled' is not written by order sync
  const wrong = journeyOn({ event: 'order.created' }, [{ event: 'order.cancelled', sameSubject: true }]);
  expect(journeySchema.safeParse(wrong).success).toBe(false);
});

test('an interaction tag listening for an event nothing emits does not type-check and is refused', () => {
  const interactive = (triggers: TagDefinitionInput & { kind: 'interaction' }) => [triggers];
  const wrong = interactive({
    id: 'interactive',
    category: 'behaviour',
    kind: 'interaction',
    name: { zh: '互动' },
    // @ts-expect-error 'campaign.opened' is written by nothing
    triggers: ['campaign.opened'],
  });
  expect(() => parseTagTaxonomy(wrong)).toThrow();
});

test('the default "interactive" tag is put on by an OA menu click, the event the callback writes', () => {
  expect(tagsForInteraction(DEFAULT_TAGS, 'oa.menu_clicked', at).map((t) => t.tagId)).toEqual(['interactive']);
  expect(tagsForInteraction(DEFAULT_TAGS, 'menu.clicked', at)).toEqual([]);
});

test('an emitted event takes its name and payload from the catalogue', () => {
  // @ts-expect-error an event type outside the catalogue
  const unknown: DomainEvent = { type: 'menu.clicked', at };
  // @ts-expect-error a payload that is not the type's
  const badPayload: DomainEvent = { type: 'oa.menu_clicked', at, data: { menu: 'rooms' } };
  const good: DomainEvent<'oa.menu_clicked'> = { type: 'oa.menu_clicked', at, data: { key: 'rooms' } };
  expect([unknown, badPayload, good].map((e) => isEventType(e.type))).toEqual([false, true, true]);
  expect(EVENT_CATALOGUE[good.type].payload.safeParse(badPayload.data).success).toBe(false);
  const names: EventType[] = ['survey.completed', 'oa.message'];
  expect(names.every(isEventType)).toBe(true);
});

test('a step type the engine has no effect for fails loudly instead of being dropped', () => {
  const journey = journeySchema.parse(journeyOn({ event: 'oa.subscribed' })) as Journey;
  const odd = { ...journey, steps: [{ id: 'odd', type: 'sms', template: 'x' }] } as unknown as Journey;
  const run = startRun(odd, { id: 'ev_1', type: 'oa.subscribed', memberId: 'm_1', at }, at)!;
  expect(() => advanceRun(odd, run, {}, at)).toThrow(expect.objectContaining({ code: 'JOURNEY_STEP_UNKNOWN' }));
});
