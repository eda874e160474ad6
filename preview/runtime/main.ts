import exparser from 'miniprogram-exparser';
import type { AppPackage } from '../app-package';
import { personaById, PERSONAS } from '../personas';
import { createAutomator } from './automator';
import { loadPackage, requireApp } from './loader';
import * as router from './router';
import { createWx } from './wx';

/**
 * Boots the preview: loads the app package, installs `wx`, `App`, `getApp`, `getCurrentPages`,
 * runs `app.js` with the persona's launch options and opens the launch page. Mouse clicks in the
 * frame become the engine's `tap` events.
 */

const g = globalThis as any;

function personaSwitch(current: string): void {
  const select = document.getElementById('pv-persona') as HTMLSelectElement;
  select.innerHTML = PERSONAS.map(
    (p) => `<option value="${p.id}"${p.id === current ? ' selected' : ''}>${p.label}</option>`,
  ).join('');
  select.addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('persona', select.value);
    location.href = url.toString();
  });
  document.getElementById('pv-reset')!.addEventListener('click', () => {
    Object.keys(localStorage)
      .filter((k) => k.startsWith(`pv:${current}:`))
      .forEach((k) => localStorage.removeItem(k));
    location.reload();
  });
}

function clicksAsTaps(): void {
  document.getElementById('pv-body')!.addEventListener('click', (e) => {
    let el = e.target as any;
    while (el && !el.__wxElement) el = el.parentNode;
    if (!el) return;
    exparser.Event.dispatchEvent(
      el.__wxElement,
      exparser.Event.create(
        'tap',
        { x: e.clientX, y: e.clientY },
        {
          originalEvent: e,
          bubbles: true,
          composed: true,
          capturePhase: true,
          extraFields: { touches: [], changedTouches: [] },
        },
      ),
    );
  });
}

async function boot(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const persona = personaById(params.get('persona'));
  personaSwitch(persona.id);
  const pkg = (await (await fetch('/app-package.json')).json()) as AppPackage;
  // a phone width other than 375 px (320, 414: the layout checks); rpx follow it
  const width = Math.min(480, Math.max(280, Number(params.get('width')) || 375));
  document.getElementById('phone')?.style.setProperty('width', `${width}px`);
  document.getElementById('phone')?.style.setProperty('--pv-rpx', `${width / 750}px`);
  const wx = createWx({
    persona,
    autoAccept: params.get('auto') === '1',
    systemLanguage: params.get('lang') ?? 'zh_CN',
    width,
  });
  g.wx = wx;
  let app: any = { globalData: {} };
  g.App = (def: any) => {
    app = def;
  };
  g.getApp = () => app;
  g.getCurrentPages = () => router.stack.map((p) => router.instanceOf(p));
  g.Page = (def: any) => g.Component({ methods: def, data: def.data });
  loadPackage(pkg);
  router.initChrome();
  clicksAsTaps();
  g.__automator = createAutomator(wx);

  const launch = wx.getLaunchOptionsSync();
  requireApp('app');
  app.onLaunch?.call(app, launch);
  app.onShow?.call(app, launch);
  const start = `/${launch.path}${Object.keys(launch.query).length ? `?${new URLSearchParams(launch.query)}` : ''}`;
  if (router.isTab(launch.path)) router.switchTab(start);
  else router.reLaunch(start);
  document.body.dataset.ready = 'true';
}

boot().catch((e) => {
  console.error(e);
  document.getElementById('pv-body')!.textContent = `Preview failed: ${(e as Error).stack ?? e}`;
  document.body.dataset.ready = 'error';
});
