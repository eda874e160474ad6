import { api, bi, brief, byId, empty, h, jsonBlock, pretty, rowTable, show, type Column } from './dom';

interface CollectionInfo {
  name: string;
  count: number;
  indexes: { name: string; fields: string[]; unique?: boolean }[];
}

interface DocsPage {
  skip: number;
  limit: number;
  total: number;
  docs: Record<string, unknown>[];
}

const MAX_COLUMNS = 8;

/** What the page shows: the chosen collection and the query last run (not what is being typed). */
const state = {
  selected: undefined as string | undefined,
  query: '{}',
  skip: 0,
  limit: 20,
  view: 'table' as 'table' | 'json',
  openDoc: undefined as string | undefined,
  known: [] as CollectionInfo[],
};
/** Only the newest documents request may paint, so a slow refresh never overwrites a newer query. */
let docsRequest = 0;

const input = <T extends HTMLElement>(id: string) => byId<T>(id);

function renderList(list: CollectionInfo[]): void {
  show('collection-list', JSON.stringify([list, state.selected]), () => {
    if (list.length === 0) return h('li', {}, empty());
    return list.map((c) =>
      h(
        'li',
        {},
        h(
          'button',
          { type: 'button', 'aria-pressed': String(c.name === state.selected), onclick: () => select(c.name) },
          h('span', { class: 'mono' }, c.name),
          ' ',
          h('span', { class: 'count' }, c.count),
        ),
      ),
    );
  });
}

function select(name: string): void {
  Object.assign(state, { selected: name, query: '{}', skip: 0, openDoc: undefined });
  input<HTMLTextAreaElement>('query').value = '{}';
  input<HTMLInputElement>('skip').value = '0';
  byId('query-error').textContent = '';
  byId('docs-placeholder').hidden = true;
  byId('docs-panel').hidden = false;
  byId('docs-title').textContent = `${name}`;
  renderList(state.known);
  renderIndexes();
  show('docs', 'loading', () => h('p', { class: 'loading' }, '加载中… ', h('small', {}, 'Loading')));
  void refreshDocs();
}

function renderIndexes(): void {
  const current = state.known.find((c) => c.name === state.selected);
  if (!current) return;
  const indexes = current.indexes.map((i) => `${i.fields.join('+')}${i.unique ? ' (唯一 unique)' : ''}`);
  byId('docs-indexes').textContent =
    `${current.count} 条文档 documents · 索引 Indexes: ${indexes.length ? indexes.join(', ') : '无 none'}`;
}

function columnsOf(docs: Record<string, unknown>[]): string[] {
  const keys = new Set<string>(['_id']);
  for (const d of docs) for (const k of Object.keys(d)) keys.add(k);
  return [...keys];
}

function docsView(page: DocsPage): Node {
  if (page.docs.length === 0) return empty();
  if (state.view === 'json') return h('pre', { 'aria-label': '文档 JSON Documents as JSON' }, pretty(page.docs));
  const keys = columnsOf(page.docs);
  const shownKeys = keys.slice(0, MAX_COLUMNS);
  const columns: Column[] = shownKeys.map((k) => ({ zh: k, en: '' }));
  const table = rowTable({
    label: '文档 Documents',
    columns,
    items: page.docs,
    key: (d) => brief(d._id, 200),
    cells: (d) => shownKeys.map((k) => (k in d ? brief(d[k]) : '')),
    detail: (d) => jsonBlock(bi('文档', 'Document'), d),
    selected: state.openDoc,
    onSelect: (key) => {
      state.openDoc = key;
      void refreshDocs();
    },
  });
  const more = keys.length - shownKeys.length;
  return more > 0
    ? h(
        'div',
        {},
        table,
        h(
          'p',
          { class: 'muted' },
          `另有 ${more} 个字段未显示,点击行或切换 JSON 查看 `,
          h('small', {}, `${more} more fields: open a row or the JSON view`),
        ),
      )
    : table;
}

export async function refreshDocs(): Promise<void> {
  const name = state.selected;
  if (!name) return;
  const request = ++docsRequest;
  const params = new URLSearchParams({ query: state.query, skip: String(state.skip), limit: String(state.limit) });
  let page: DocsPage;
  try {
    page = await api<DocsPage>(`/api/collections/${encodeURIComponent(name)}?${params}`);
  } catch (e) {
    if (request !== docsRequest) return;
    byId('query-error').textContent = `查询无效 Invalid query: ${(e as Error).message}`;
    byId('docs-summary').textContent = '';
    show('docs', 'error', () => h('p', { class: 'muted' }, '—'));
    return;
  }
  if (request !== docsRequest) return;
  byId('query-error').textContent = '';
  const to = page.skip + page.docs.length;
  byId('docs-summary').textContent =
    page.total === 0
      ? '没有匹配的文档 No matching documents'
      : page.docs.length === 0
        ? `共 ${page.total} 条匹配,跳过 ${page.skip} 条后没有了 (${page.total} matching, none after skipping ${page.skip})`
        : `共 ${page.total} 条匹配 · 显示第 ${page.skip + 1}–${to} 条 (${page.total} matching, showing ${page.skip + 1}–${to})`;
  input<HTMLButtonElement>('page-prev').disabled = page.skip === 0;
  input<HTMLButtonElement>('page-next').disabled = to >= page.total;
  show('docs', JSON.stringify([page, state.view, state.openDoc]), () => docsView(page));
}

export async function refreshCollections(): Promise<void> {
  const { collections } = await api<{ collections: CollectionInfo[] }>('/api/collections');
  state.known = collections;
  renderList(collections);
  if (collections.some((c) => c.name === state.selected)) {
    renderIndexes();
    await refreshDocs();
  }
}

function run(): void {
  state.query = input<HTMLTextAreaElement>('query').value.trim() || '{}';
  state.skip = Math.max(0, Math.trunc(Number(input<HTMLInputElement>('skip').value)) || 0);
  state.limit = Math.min(200, Math.max(1, Math.trunc(Number(input<HTMLInputElement>('limit').value)) || 20));
  state.openDoc = undefined;
  void refreshDocs();
}

function page(direction: 1 | -1): void {
  input<HTMLInputElement>('skip').value = String(Math.max(0, state.skip + direction * state.limit));
  run();
}

function setView(view: 'table' | 'json'): void {
  state.view = view;
  input('view-table').setAttribute('aria-pressed', String(view === 'table'));
  input('view-json').setAttribute('aria-pressed', String(view === 'json'));
  void refreshDocs();
}

export function initCollections(): void {
  input<HTMLFormElement>('query-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    run();
  });
  input<HTMLTextAreaElement>('query').addEventListener('keydown', (ev) => {
    // Enter runs the query; Shift+Enter keeps a new line for long queries
    if (ev.key === 'Enter' && !ev.shiftKey) {
      ev.preventDefault();
      run();
    }
  });
  input('query-reset').addEventListener('click', () => {
    input<HTMLTextAreaElement>('query').value = '{}';
    input<HTMLInputElement>('skip').value = '0';
    run();
  });
  input('page-prev').addEventListener('click', () => page(-1));
  input('page-next').addEventListener('click', () => page(1));
  input('view-table').addEventListener('click', () => setView('table'));
  input('view-json').addEventListener('click', () => setView('json'));
}
