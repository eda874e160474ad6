import { parse } from 'csv-parse/sync';
import {
  causeKind,
  foldFlows,
  lifecycleTable,
  retentionTable,
  toCsv,
  unfollowTable,
  weekOf,
} from '../../../core/insight';

describe('insight tables', () => {
  it('weeks start on Monday', () => {
    expect(weekOf('2026-03-09')).toBe('2026-03-09'); // a Monday
    expect(weekOf('2026-03-15')).toBe('2026-03-09'); // the Sunday after
    expect(weekOf('2026-03-16')).toBe('2026-03-16');
  });

  it('a cause is an order, the nightly review or the event that moved the member', () => {
    expect(causeKind('pos:A-1')).toBe('order');
    expect(causeKind('nightly')).toBe('nightly');
    expect(causeKind('member.joined')).toBe('member.joined');
  });

  it('stage changes fold by day, then per week with the busiest move first', () => {
    const monday = foldFlows([
      { from: 'window', to: 'first_time', cause: 'pos:1' },
      { from: 'window', to: 'first_time', cause: 'pos:2' },
      { from: null, to: 'window', cause: 'member.joined' },
    ]);
    expect(monday).toContainEqual({ from: 'window', to: 'first_time', cause: 'order', n: 2 });
    const table = lifecycleTable([
      { date: '2026-03-09', flows: monday },
      { date: '2026-03-11', flows: [{ from: null, to: 'window', cause: 'member.joined', n: 4 }] },
      { date: '2026-03-16', flows: [{ from: 'first_time', to: 'repeat', cause: 'order', n: 1 }] },
    ]);
    expect(table.rows).toEqual([
      ['2026-03-09', 'none', 'window', 'member.joined', 5],
      ['2026-03-09', 'window', 'first_time', 'order', 2],
      ['2026-03-16', 'first_time', 'repeat', 'order', 1],
    ]);
  });

  it('unfollow rate is unfollows over the followers a day started with, averaged over the days', () => {
    const t = unfollowTable([
      { date: '2026-03-09', groups: [{ group: 'loyal', followers: 98, unfollows: 2 }] },
      { date: '2026-03-10', groups: [{ group: 'loyal', followers: 100, unfollows: 0 }] },
    ]);
    expect(t.rows).toEqual([['loyal', 100, 2, 0.02]]);
  });

  it('retention rows are as wide as the oldest cohort, later cohorts padded with empty cells', () => {
    const t = retentionTable([
      { month: '2026-01', joined: 10, bought: [5, 3, 2] },
      { month: '2026-03', joined: 4, bought: [1] },
    ]);
    expect(t.columns).toEqual(['cohort', 'joined', 'm0', 'm1', 'm2']);
    expect(t.rows[1]).toEqual(['2026-03', 4, 1, null, null]);
  });

  it('CSV quotes what needs quoting and reads back as the same table', () => {
    const csv = toCsv(
      ['name', 'n'],
      [
        ['金卡, "VIP"', 3],
        ['plain', null],
      ],
    );
    expect(parse(csv)).toEqual([
      ['name', 'n'],
      ['金卡, "VIP"', '3'],
      ['plain', ''],
    ]);
  });
});
