import { addDays, localDate } from '../../../core/time';
import { startLocalCloud } from '../../../scripts/local-cloud';
import { as } from '../../support/client';

/**
 * `npm start` and `npm run preview` start a local cloud whose dashboard has something to chart: the
 * demo story is played through the product, then the statistics timer runs once, so the store
 * manager's dashboard reads yesterday's row (members, paying customers, stages) on a fresh start, and
 * the brand admin's insight reports have their day too.
 */
test("S21 a fresh local cloud: the manager's dashboard has yesterday's statistics, computed by the timer", async () => {
  const { emu, story } = await startLocalCloud({ port: 0, dataDir: null });
  try {
    expect(story?.played).toBe(true);
    const yesterday = addDays(localDate(emu.clock.now()), -1);
    const manager = as(emu, 'o_demo_manager');
    const summary = await manager.ok('admin', 'dashboard.summary', { from: addDays(yesterday, -29), to: yesterday });
    expect(summary.days.map((d: { date: string }) => d.date)).toEqual([yesterday]);
    expect(summary.latest).toMatchObject({ date: yesterday });
    expect(summary.latest?.members).toBeGreaterThanOrEqual(1);
    expect(summary.latest?.paidCustomers).toBeGreaterThanOrEqual(1);
    const timerRuns = emu.runtime.invocations(500).filter((i) => i.fn === 'orders' && i.source === 'timer');
    expect(timerRuns.length).toBeGreaterThanOrEqual(2);
    // the insight reports read the statistics written on start: the retention table has the demo's join month
    const admin = as(emu, 'o_demo_admin');
    const retention = await admin.ok('admin', 'insight.report', {
      kind: 'retention',
      from: addDays(yesterday, -29),
      to: yesterday,
    });
    expect(retention.asOf).toBe(yesterday);
    expect(retention.rows.length).toBeGreaterThanOrEqual(1);
  } finally {
    await emu.close();
  }
});
