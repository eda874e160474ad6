import { evaluateTags, manualHolding, parseTagTaxonomy, type HeldTag } from '../../../core/portrait';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;

describe('tag expiry', () => {
  const [gala, buyer] = parseTagTaxonomy([
    { id: 'gold_gala', category: 'behaviour', kind: 'manual', name: { zh: '晚宴' }, ttlDays: 30, colour: '#d4380d' },
    {
      id: 'summer_buyer',
      category: 'consumption',
      kind: 'rule',
      name: { zh: '夏季买家' },
      rule: { field: 'paidOrderCount', op: 'gte', value: 1 },
      expiresAt: '2026-09-01T00:00:00+08:00',
    },
  ]);

  it('a manual holding ends ttlDays after it was put on, whoever put it on', () => {
    const held = manualHolding(gala, 'gold_gala', NOW);
    expect(held.expiresAt).toEqual(new Date(NOW.getTime() + 30 * DAY));
    expect(evaluateTags([gala!], {}, [held], new Date(NOW.getTime() + 29 * DAY)).remove).toEqual([]);
    expect(evaluateTags([gala!], {}, [held], new Date(NOW.getTime() + 30 * DAY)).remove).toEqual(['gold_gala']);
  });

  it('a rule tag past its expiresAt is no longer put on, and holdings are taken off', () => {
    const facts = { paidOrderCount: 2 };
    expect(evaluateTags([buyer!], facts, [], NOW).add.map((t) => t.tagId)).toEqual(['summer_buyer']);
    const after = new Date('2026-09-02T00:00:00Z');
    const held: HeldTag[] = [{ tagId: 'summer_buyer', source: 'rule', at: NOW }];
    expect(evaluateTags([buyer!], facts, held, after)).toEqual({ add: [], remove: ['summer_buyer'] });
    expect(evaluateTags([buyer!], facts, [], after).add).toEqual([]);
  });

  it('an archived tag is taken off even when staff put it on', () => {
    const archived = { ...gala!, archived: true };
    expect(evaluateTags([archived], {}, [{ tagId: 'gold_gala', source: 'manual', at: NOW }], NOW).remove).toEqual([
      'gold_gala',
    ]);
  });
});
