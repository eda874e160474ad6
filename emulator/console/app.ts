/**
 * The emulator's web console. Served as `/console.js`: the emulator bundles this file once per
 * process with esbuild, so there is no compiled copy to keep in step.
 */
import { initClock, refreshClock } from './clock';
import { initCollections, refreshCollections } from './collections';
import { api, byId, h } from './dom';
import { initInvocations, refreshInvocations } from './invocations';
import { refreshOpenApi } from './openapi';

const REFRESH_MS = 2000;
let paused = false;
let timer: ReturnType<typeof setTimeout> | undefined;
let inFlight: Promise<void> | undefined;
let again = false;

async function showInfo(): Promise<void> {
  const info = await api<{ envId: string; appid: string; serviceUrl: string }>('/api/info');
  byId('env-info').replaceChildren(
    '环境 env ',
    h('code', {}, info.envId),
    ' · appid ',
    h('code', {}, info.appid),
    ' · serviceUrl ',
    h('code', {}, info.serviceUrl),
  );
}

/** One refresh of every section; a failing section says so in the status line and the others still paint. */
async function refreshAll(): Promise<void> {
  const results = await Promise.allSettled([
    refreshClock(),
    refreshCollections(),
    refreshInvocations(),
    refreshOpenApi(),
  ]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  const stamp = new Date().toLocaleTimeString('zh-CN', { hour12: false });
  byId('refresh-status').textContent = failed
    ? `刷新失败 Refresh failed: ${(failed.reason as Error).message}`
    : `${paused ? '已暂停 Paused · ' : ''}更新于 ${stamp}`;
  byId('refresh-status').className = failed ? 'env bad' : 'env';
}

/** Refreshes never overlap: a request made while one runs is folded into one more run after it. */
function refreshNow(): Promise<void> {
  if (inFlight) {
    again = true;
    return inFlight;
  }
  inFlight = (async () => {
    do {
      again = false;
      await refreshAll();
    } while (again);
  })().finally(() => {
    inFlight = undefined;
  });
  return inFlight;
}

function schedule(): void {
  clearTimeout(timer);
  if (!paused) timer = setTimeout(() => void refreshNow().finally(schedule), REFRESH_MS);
}

function togglePause(): void {
  paused = !paused;
  const button = byId('pause');
  button.setAttribute('aria-pressed', String(paused));
  button.replaceChildren(paused ? '继续刷新 ' : '暂停刷新 ', h('small', {}, paused ? 'Resume' : 'Pause'));
  if (paused) {
    clearTimeout(timer);
    byId('refresh-status').textContent = '已暂停 Paused';
  } else void refreshNow().finally(schedule);
}

function boot(): void {
  initClock(() => void refreshNow());
  initCollections();
  initInvocations();
  byId('pause').addEventListener('click', togglePause);
  byId('refresh-now').addEventListener('click', () => void refreshNow());
  showInfo().catch((e: Error) => (byId('env-info').textContent = `无法连接模拟器 Emulator unreachable: ${e.message}`));
  void refreshNow().finally(schedule);
}

boot();
