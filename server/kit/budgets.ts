/**
 * How long the `admin` function's long jobs (bulk tagging, the lifecycle rebuild) work per call: an
 * action answers after ACTION_BUDGET_MS and leaves the rest to its timer; a timer run stops starting
 * new work after TIMER_BUDGET_MS, inside the function's 20 s timeout.
 */
export const ACTION_BUDGET_MS = 5_000;
export const TIMER_BUDGET_MS = 12_000;
/** The `admin` function's timeout (cloudfunctions/admin/config.json): no call of it lives longer. */
export const ADMIN_TIMEOUT_MS = 20_000;
