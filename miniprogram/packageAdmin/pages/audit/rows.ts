import type { CallOutput } from '../../../services/cloud';
import { localTime } from '../../../pages/coupons/coupon-text';
import { fill } from '../../utils';
import type { AuditText } from './text';

type AuditRow = CallOutput<'admin', 'audit.list'>['items'][number];

export interface Row {
  id: string;
  who: string;
  when: string;
  what: string;
  target: string;
  changes: string[];
  reason: string;
}

const show = (v: unknown): string =>
  v === undefined || v === null
    ? '∅'
    : typeof v === 'string'
      ? /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)
        ? localTime(v)
        : v
      : JSON.stringify(v);

/** `{ tags: ['a'] } → { tags: ['a','b'] }` → `tags: ["a"] → ["a","b"]`: one line per field that changed. */
export function changesOf(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return keys
    .filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k]))
    .map((k) => `${k}: ${show(before?.[k])} → ${show(after?.[k])}`);
}

/** `refused:admin.audit.list` → 'Refused · admin.audit.list'; a known action → its name; else the raw action. */
function actionText(action: string, t: AuditText): string {
  if (action.startsWith('refused:')) return `${t.refusedAction} · ${action.slice('refused:'.length)}`;
  return t.actions[action] ?? action;
}

export function rowOf(a: AuditRow, t: AuditText): Row {
  return {
    id: a.id,
    who: `${a.who} · ${t.roles[a.role] ?? a.role}`,
    when: localTime(a.at),
    what: actionText(a.action, t),
    target: a.target,
    changes: changesOf(a.before, a.after),
    reason: a.reason ? fill(t.reason, { reason: a.reason }) : '',
  };
}
