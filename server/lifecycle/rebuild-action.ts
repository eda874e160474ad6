import type { LifecycleRebuildView } from '../../core/contracts/admin';
import { auditNow } from '../audit';
import { ACTION_BUDGET_MS, ADMIN_TIMEOUT_MS, TIMER_BUDGET_MS } from '../kit/budgets';
import type { ActionContext, SystemContext } from '../kit/context';
import { requireStaff, staffActor } from '../staff/require';
import { rebuildLifecycle, rebuildProgress, rebuildUnfinished, type RebuildProgress } from './rebuild';

/**
 * A range taken by a call stays its own this long: no call of the `admin` function outlives its
 * timeout, so a range whose call died is free again soon after.
 */
const LEASE_MS = ADMIN_TIMEOUT_MS + 5_000;

const view = (p: RebuildProgress): LifecycleRebuildView => ({
  at: p.at.toISOString(),
  members: p.members,
  written: p.written,
  stageChanges: p.stageChanges,
  done: p.done,
});

/**
 * admin lifecycle.rebuild: starts the lifecycle rebuild from orders (the repair mode) and works on it
 * for the action's budget; the `lifecycleRebuild` timer goes on with the rest. An unfinished rebuild
 * is carried on rather than started again, so a second tap does not cut the one under way.
 */
export async function lifecycleRebuildAction(_input: unknown, ctx: ActionContext): Promise<LifecycleRebuildView> {
  const started = Date.now();
  const staff = await requireStaff(ctx, 'lifecycle.rebuild');
  const now = ctx.now();
  const restart = !(await rebuildUnfinished(ctx.db));
  if (restart) {
    const before = await rebuildProgress(ctx.db);
    await auditNow(ctx.db, {
      ...staffActor(staff),
      at: now,
      action: 'lifecycle.rebuild',
      target: 'lifecycle_rebuilds/lifecycle',
      before: before ? { ...view(before) } : null,
      after: { at: now.toISOString() },
    });
  }
  const sliceMs = Math.max(0, started + ACTION_BUDGET_MS - Date.now());
  return view(await rebuildLifecycle(ctx.db, now, { sliceMs, restart, leaseMs: LEASE_MS, log: ctx.log }));
}

/** admin lifecycle.rebuildProgress: how far the current rebuild has got (null: none was started). */
export async function lifecycleRebuildProgressAction(
  _input: unknown,
  ctx: ActionContext,
): Promise<{ rebuild: LifecycleRebuildView | null }> {
  await requireStaff(ctx, 'lifecycle.rebuild');
  const p = await rebuildProgress(ctx.db);
  return { rebuild: p ? view(p) : null };
}

/** Timer: works on an unfinished rebuild within the run's budget; one read when there is none. */
export async function lifecycleRebuildTimer(ctx: SystemContext): Promise<{ running: boolean }> {
  const deadline = Date.now() + TIMER_BUDGET_MS;
  if (!(await rebuildUnfinished(ctx.db))) return { running: false };
  const sliceMs = Math.max(0, deadline - Date.now());
  const p = await rebuildLifecycle(ctx.db, ctx.now(), { sliceMs, leaseMs: LEASE_MS, log: ctx.log });
  ctx.log.info('lifecycle rebuild slice', { ...view(p) });
  return { running: !p.done };
}
