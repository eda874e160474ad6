import { api, bi, byId, h, outcomeCell, postJson, show, time } from './dom';

interface ClockState {
  now: string;
  offsetMs: number;
}

interface TimerFiring {
  fn: string;
  trigger: string;
  at: string;
  ok: boolean;
  error?: string;
}

/** The last move made from this page: what was asked and which timers fired. */
let lastMove: { step: string; fired: TimerFiring[] } | undefined;

function offsetText(ms: number): string {
  const sign = ms < 0 ? '−' : '+';
  let rest = Math.round(Math.abs(ms) / 60_000);
  const d = Math.floor(rest / 1440);
  rest -= d * 1440;
  const parts = [
    d ? `${d}d` : '',
    rest >= 60 ? `${Math.floor(rest / 60)}h` : '',
    rest % 60 ? `${rest % 60}m` : '',
  ].filter(Boolean);
  return parts.length ? `${sign}${parts.join(' ')}` : '±0';
}

function renderClock(c: ClockState): void {
  byId('clock-now').textContent = `${time(c.now)} 北京时间`;
  byId('clock-now').title = c.now;
  byId('clock-offset').textContent = `比真实时间 ${offsetText(c.offsetMs)} (offset from real time)`;
}

function renderFired(): void {
  if (!lastMove) return;
  const { step, fired } = lastMove;
  show('fired', JSON.stringify(lastMove), () => {
    if (fired.length === 0)
      return h('p', { class: 'muted' }, `推进 ${step}:没有到期的定时器 `, h('small', {}, 'No timers were due'));
    const rows = fired.map((f) =>
      h(
        'tr',
        {},
        h('td', { class: 'mono' }, f.fn),
        h('td', { class: 'mono' }, f.trigger),
        h('td', { title: f.at }, time(f.at)),
        h('td', {}, f.ok ? outcomeCell(true, '成功 ok') : outcomeCell(false, '失败 error', f.error)),
      ),
    );
    const head = h(
      'tr',
      {},
      [bi('函数', 'Function'), bi('触发器', 'Trigger'), bi('触发时间', 'Fired at'), bi('结果', 'Outcome')].map((l) =>
        h('th', { scope: 'col' }, l),
      ),
    );
    return [
      h(
        'h3',
        { style: 'font-size:13px;margin:8px 0 4px' },
        `推进 ${step} 触发了 ${fired.length} 个定时器 `,
        h('small', {}, 'Fired timers'),
      ),
      h('table', { 'aria-label': '已触发的定时器 Fired timers' }, h('thead', {}, head), h('tbody', {}, rows)),
    ];
  });
}

export async function refreshClock(): Promise<void> {
  renderClock(await api<ClockState>('/clock'));
}

async function advance(step: string, buttons: HTMLButtonElement[], onMoved: () => void): Promise<void> {
  const error = byId('clock-error');
  error.textContent = '';
  buttons.forEach((b) => (b.disabled = true));
  byId('clock-offset').textContent = `推进中… Moving ${step}`;
  try {
    const moved = await postJson<{ now: string; fired: TimerFiring[] }>('/clock', { advance: step });
    lastMove = { step, fired: moved.fired };
    renderFired();
    await refreshClock();
    onMoved();
  } catch (e) {
    error.textContent = `无法推进时钟 Could not move the clock: ${(e as Error).message}`;
    await refreshClock().catch(() => undefined);
  } finally {
    buttons.forEach((b) => (b.disabled = false));
  }
}

export function initClock(onMoved: () => void): void {
  const section = byId('clock');
  const buttons = [...section.querySelectorAll('button')];
  for (const b of section.querySelectorAll<HTMLButtonElement>('button[data-advance]')) {
    b.addEventListener('click', () => void advance(b.dataset.advance ?? '', buttons, onMoved));
  }
  byId<HTMLFormElement>('advance-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const step = byId<HTMLInputElement>('advance').value.trim();
    if (!step) {
      byId('clock-error').textContent = '请输入时长,如 90m、2d3h Enter a duration such as 90m or 2d3h';
      return;
    }
    void advance(step, buttons, onMoved);
  });
}
