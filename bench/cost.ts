import { info, type BenchResult } from './harness';

/** What one run of a flow costs on the platform's meters: database reads and writes, function invocations. */
export interface FlowCost {
  flow: string;
  reads: number;
  writes: number;
  invocations: number;
}

/**
 * The reference brand's month (docs/cost.md): 100,000 members, 30,000 orders, 200,000 messages.
 * Flow counts per month beyond those are assumptions stated there: each member opens the Mini
 * Program 4 times a month (a login each), one member in ten claims a coupon.
 */
export const REFERENCE_MONTH: Record<string, number> = {
  'login (returning member)': 100_000 * 4,
  'coupon claim (issued)': 100_000 / 10,
  'order of a member (sync, batches of 500)': 30_000,
};

const total = (costs: FlowCost[], k: 'reads' | 'writes' | 'invocations') =>
  costs.reduce((s, c) => s + c[k] * (REFERENCE_MONTH[c.flow] ?? 0), 0);

/** Per-flow rows, then the month of the reference brand for the flows measured. */
export function costRows(costs: FlowCost[]): BenchResult[] {
  const rows = costs.flatMap((c) => [
    info(`cost per ${c.flow}: database reads`, c.reads, 'reads'),
    info(`cost per ${c.flow}: database writes`, c.writes, 'writes'),
    info(`cost per ${c.flow}: invocations`, c.invocations, 'invocations'),
  ]);
  const measured = costs
    .filter((c) => REFERENCE_MONTH[c.flow] !== undefined)
    .map((c) => c.flow)
    .join(', ');
  return [
    ...rows,
    info(`reference brand month (${measured}): database reads`, total(costs, 'reads'), 'reads'),
    info('reference brand month: database writes', total(costs, 'writes'), 'writes'),
    info('reference brand month: invocations', total(costs, 'invocations'), 'invocations'),
  ];
}
