import { failureOf, type Invocation } from '../functions/invocation';
import { api, bi, byId, h, jsonBlock, outcomeCell, rowTable, show, time } from './dom';

const state = { selected: undefined as string | undefined, functions: [] as string[] };

/** A call's data names its action; a timer's event names its trigger. */
function actionOf(input: unknown): string {
  if (!input || typeof input !== 'object') return '—';
  const i = input as Record<string, unknown>;
  if (typeof i.action === 'string') return i.action;
  if (i.Type === 'Timer' && typeof i.TriggerName === 'string') return `定时 ${i.TriggerName}`;
  return '—';
}

function detail(inv: Invocation): Node {
  return h(
    'div',
    { class: 'detail-grid' },
    jsonBlock(bi('输入', 'Input'), inv.input),
    inv.ok ? jsonBlock(bi('结果', 'Result'), inv.result ?? null) : jsonBlock(bi('错误', 'Error'), inv.error ?? null),
    jsonBlock(bi('日志', 'Logs'), inv.logs.length ? inv.logs.join('\n') : '无日志 No logs'),
    h('p', { class: 'muted mono', style: 'grid-column:1/-1;margin:0' }, `id ${inv.id} · at ${inv.at}`),
  );
}

/** A thrown error and an answered `{ ok: false }` are both failures; only the second has a result to show. */
function outcome(inv: Invocation): HTMLElement {
  const failure = failureOf(inv);
  if (!failure) return outcomeCell(true, '成功 ok');
  return outcomeCell(false, `失败 ${failure.code}`, failure.message || undefined);
}

function render(list: Invocation[]): void {
  show('invocation-list', JSON.stringify([list, state.selected]), () =>
    rowTable({
      label: '函数调用 Invocations',
      columns: [
        { zh: '函数', en: 'Function' },
        { zh: '动作', en: 'Action' },
        { zh: '时间', en: 'Time' },
        { zh: '来源', en: 'Source' },
        { zh: 'OpenID', en: '' },
        { zh: '耗时', en: 'ms', num: true },
        { zh: '数据库调用', en: 'DB calls', num: true },
        { zh: '结果', en: 'Outcome' },
      ],
      items: list,
      key: (i) => i.id,
      cells: (i) => [
        i.fn,
        h('span', { class: 'mono' }, actionOf(i.input)),
        h('span', { title: i.at }, time(i.at)),
        i.source,
        h('span', { class: 'mono' }, i.openid ?? '—'),
        i.durationMs,
        i.dbCalls,
        outcome(i),
      ],
      detail,
      selected: state.selected,
      onSelect: (id) => {
        state.selected = id;
        render(list);
      },
    }),
  );
}

function renderFilter(names: string[]): void {
  if (names.join() === state.functions.join()) return;
  state.functions = names;
  const select = byId<HTMLSelectElement>('fn-filter');
  const current = select.value;
  select.replaceChildren(h('option', { value: '' }, '全部 All'), ...names.map((n) => h('option', { value: n }, n)));
  select.value = names.includes(current) ? current : '';
}

export async function refreshInvocations(): Promise<void> {
  const fn = byId<HTMLSelectElement>('fn-filter').value;
  const kind = byId<HTMLSelectElement>('kind-filter').value;
  const query = new URLSearchParams({ limit: '100', kind, ...(fn ? { fn } : {}) });
  const [fns, invs] = await Promise.all([
    api<{ functions: { name: string }[] }>('/api/functions'),
    api<{ invocations: Invocation[] }>(`/api/invocations?${query.toString()}`),
  ]);
  renderFilter(fns.functions.map((f) => f.name).sort());
  render(invs.invocations);
}

export function initInvocations(): void {
  byId('fn-filter').addEventListener('change', () => void refreshInvocations());
  byId('kind-filter').addEventListener('change', () => void refreshInvocations());
}
