import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { EVENT_CATALOGUE, EVENT_TYPES, type EventEntry } from '../../../core/events';
import { oaEventData, type OaEvent, OA_EVENT_TYPES } from '../../../core/identity/oa';
import { transitionsBetween } from '../../../core/orders';
import { orderEvent, withFirstPaid } from '../../../server/orders/events';
import { stageLogDocs } from '../../../server/lifecycle/stage-log';

const ROOT = resolve(__dirname, '../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** A file's relative imports resolved to repository paths (`x.ts` or `x/index.ts`). */
function importsOf(path: string): string[] {
  const out: string[] = [];
  for (const [, spec] of read(path).matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
    const base = join(dirname(path), spec as string);
    const file = [`${base}.ts`, join(base, 'index.ts')].find((f) => existsSync(join(ROOT, f)));
    if (file) out.push(file);
  }
  return out;
}

/** The file and the core modules it reaches: a writer may take the name from a core builder (OA events, orders). */
function namesReachable(path: string): string {
  const seen = new Set<string>([path]);
  const queue = [path];
  while (queue.length) {
    for (const f of importsOf(queue.pop() as string)) {
      if (f.startsWith('core/') && !f.startsWith('core/events/') && !seen.has(f)) {
        seen.add(f);
        queue.push(f);
      }
    }
  }
  return [...seen].map(read).join('\n');
}

describe('the event catalogue', () => {
  const entries = Object.entries(EVENT_CATALOGUE) as [string, EventEntry][];

  test.each(entries)('%s is written by the server files it names (or marked as coming from outside)', (name, entry) => {
    expect(entry.description.length).toBeGreaterThan(5);
    if (entry.from === 'outside') return;
    expect(entry.emittedBy.length).toBeGreaterThan(0);
    for (const file of entry.emittedBy) {
      expect(existsSync(join(ROOT, file))).toBe(true);
      expect({ file, names: namesReachable(file).includes(`'${name}'`) }).toEqual({ file, names: true });
    }
  });

  test('names are unique, dotted lower case, and the list is the catalogue', () => {
    expect(new Set(EVENT_TYPES).size).toBe(entries.length);
    for (const n of EVENT_TYPES) expect(n).toMatch(/^[a-z][a-z_]*(\.[a-z_]+)?$/);
  });

  test('every Official Account callback becomes a catalogued event whose payload parses', () => {
    const events: OaEvent[] = [
      { kind: 'subscribe', scene: 's=store_sh' },
      { kind: 'subscribe', scene: null },
      { kind: 'unsubscribe' },
      { kind: 'scan', scene: 's=store_sh' },
      { kind: 'click', key: 'rooms' },
      { kind: 'view', url: 'https://example.com/' },
      { kind: 'text', content: '1 3', msgId: '6054768590064713728' },
    ];
    for (const e of events) {
      const type = OA_EVENT_TYPES[e.kind];
      expect(EVENT_CATALOGUE[type].payload.safeParse(oaEventData(e)).success).toBe(true);
    }
    expect(oaEventData({ kind: 'text', content: '您好', msgId: null })).toEqual({ msgId: null, length: 2 });
  });

  test('order transition events, as order sync writes them, parse', () => {
    const at = new Date('2026-05-04T02:00:00Z');
    const base = {
      source: 'pos',
      orderNo: 'A1',
      createdAt: at,
      items: [{ sku: 's', category: 'qipao', qtyFen: 1 }],
      paid: true,
      paidFen: 9900,
      paidAt: at,
      refunds: [{ refundNo: 'R1', amountFen: 100, at }],
      refundedFen: 0,
      version: { updatedAt: at },
    };
    const transitions = transitionsBetween(null, base as unknown as Parameters<typeof transitionsBetween>[1]);
    expect(transitions.map((t) => t.type)).toEqual(['order.created', 'order.paid', 'order.refunded']);
    for (const e of withFirstPaid(
      transitions.map((t) => orderEvent(t, 'pos:A1', 'm_1', at)),
      true,
    )) {
      const type = e['type'] as keyof typeof EVENT_CATALOGUE;
      expect(EVENT_CATALOGUE[type].payload.safeParse(e['data']).error).toBeUndefined();
    }
  });

  test('a stage change written by the nightly review parses', () => {
    const log = { from: 'prospect', to: 'first_purchase', at: new Date(), cause: 'order.paid' };
    const { event } = stageLogDocs('m_1', log);
    expect(event['type']).toBe('member.stage_changed');
    expect(EVENT_CATALOGUE['member.stage_changed'].payload.safeParse(event['data']).success).toBe(true);
  });
});
