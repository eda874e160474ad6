/**
 * The platform's own UI inside the phone frame: toast, loading, modal, the code picker that
 * answers `scanCode`, and the prompt that answers `requestSubscribeMessage`.
 */

const frame = () => document.getElementById('phone')!;

function overlay(className: string, html: string): HTMLElement {
  const el = document.createElement('div');
  el.className = className;
  el.innerHTML = html;
  frame().appendChild(el);
  return el;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

let toastEl: HTMLElement | undefined;
let toastTimer: ReturnType<typeof setTimeout> | undefined;

export function showToast(o: { title?: string; icon?: string; duration?: number }): void {
  hideToast();
  const icon =
    o.icon === 'none'
      ? ''
      : `<div class="pv-toast-icon">${o.icon === 'error' ? '✕' : o.icon === 'loading' ? '…' : '✓'}</div>`;
  toastEl = overlay(`pv-toast${icon ? '' : ' pv-toast-text'}`, `${icon}<div role="status">${esc(o.title ?? '')}</div>`);
  toastTimer = setTimeout(hideToast, o.duration ?? 1500);
}

export function hideToast(): void {
  if (toastTimer) clearTimeout(toastTimer);
  toastEl?.remove();
  toastEl = undefined;
}

export function showLoading(o: { title?: string }): void {
  showToast({ title: o.title ?? '', icon: 'loading', duration: 60_000 });
}

export function showModal(o: {
  title?: string;
  content?: string;
  showCancel?: boolean;
  cancelText?: string;
  confirmText?: string;
  confirmColor?: string;
}): Promise<{ confirm: boolean; cancel: boolean }> {
  return new Promise((resolve) => {
    const cancel =
      o.showCancel === false ? '' : `<button class="pv-modal-cancel">${esc(o.cancelText ?? '取消')}</button>`;
    const el = overlay(
      'pv-mask',
      `<div class="pv-modal" role="dialog" aria-label="${esc(o.title ?? '')}"><div class="pv-modal-title">${esc(o.title ?? '')}</div><div class="pv-modal-content">${esc(o.content ?? '')}</div><div class="pv-modal-actions">${cancel}<button class="pv-modal-confirm" style="color:${o.confirmColor ?? '#576b95'}">${esc(o.confirmText ?? '确定')}</button></div></div>`,
    );
    const done = (confirm: boolean) => {
      el.remove();
      resolve({ confirm, cancel: !confirm });
    };
    el.querySelector('.pv-modal-confirm')!.addEventListener('click', () => done(true));
    el.querySelector('.pv-modal-cancel')?.addEventListener('click', () => done(false));
  });
}

/** A sheet of choices; resolves with the index picked, or -1 when dismissed. */
export function pickFrom(title: string, options: string[], cancelText = '取消'): Promise<number> {
  return new Promise((resolve) => {
    const items = options.map((o, i) => `<button class="pv-sheet-item" data-i="${i}">${esc(o)}</button>`).join('');
    const el = overlay(
      'pv-mask',
      `<div class="pv-sheet" role="dialog" aria-label="${esc(title)}"><div class="pv-sheet-title">${esc(title)}</div>${items}<button class="pv-sheet-cancel">${esc(cancelText)}</button></div>`,
    );
    el.addEventListener('click', (e) => {
      const t = e.target as HTMLElement;
      if (t.dataset.i !== undefined) {
        el.remove();
        resolve(Number(t.dataset.i));
      } else if (t.classList.contains('pv-sheet-cancel') || t === el) {
        el.remove();
        resolve(-1);
      }
    });
  });
}
