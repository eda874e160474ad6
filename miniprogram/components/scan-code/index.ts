import { BAR_QUIET, QR_QUIET, code128Modules, place, qrModules, type SymbolKind } from './symbols';

interface Context2d {
  fillStyle: string;
  fillRect(x: number, y: number, w: number, h: number): void;
}
interface CanvasNode {
  width: number;
  height: number;
  getContext(kind: '2d'): Context2d | null;
}
interface Measured {
  node?: CanvasNode | null;
  width?: number;
  height?: number;
}

const LAYOUT_ATTEMPTS = 20;

function pixelRatio(): number {
  const info = typeof wx.getWindowInfo === 'function' ? wx.getWindowInfo() : undefined;
  return info?.pixelRatio && info.pixelRatio > 0 ? info.pixelRatio : 1;
}

function drawQr(ctx: Context2d, value: string, width: number, height: number): void {
  const modules = qrModules(value);
  const p = place(modules.length, QR_QUIET, Math.min(width, height));
  const dx = Math.floor((width - Math.min(width, height)) / 2);
  const dy = Math.floor((height - Math.min(width, height)) / 2);
  modules.forEach((row, r) =>
    row.forEach((dark, c) => {
      if (dark) ctx.fillRect(dx + p.left + c * p.module, dy + p.top + r * p.module, p.module, p.module);
    }),
  );
}

function drawBars(ctx: Context2d, value: string, width: number, height: number): void {
  const bits = code128Modules(value);
  const p = place(bits.length, BAR_QUIET, width, height);
  for (let i = 0; i < bits.length; i++) if (bits[i] === '1') ctx.fillRect(p.left + i * p.module, 0, p.module, height);
}

/**
 * A scannable code on a `canvas type="2d"`: `kind` 'qr' or 'code128' of `value`, drawn black on white
 * at the device's pixel ratio. The canvas keeps its size (`width`, `height` in CSS px; width 0 =
 * the container's) whatever the value, so a refreshed code does not move the page. `drawn` holds the
 * value last drawn (tests wait for it).
 */
Component({
  options: { styleIsolation: 'apply-shared' },
  properties: {
    kind: { type: String, value: 'qr' },
    value: { type: String, value: '' },
    width: { type: Number, value: 0 },
    height: { type: Number, value: 200 },
    label: { type: String, value: '' },
  },
  data: { drawn: '', attached: false },
  observers: {
    'kind, value': function (this: { data: { attached: boolean }; draw(attempt?: number): void }) {
      if (this.data.attached) this.draw();
    },
  },
  lifetimes: {
    attached() {
      this.setData({ attached: true });
      this.draw();
    },
    detached() {
      this.setData({ attached: false });
    },
  },
  methods: {
    /** Draws once the canvas has been laid out (a canvas just inserted may not be yet: tried again shortly). */
    draw(attempt = 0) {
      const value = this.data.value as string;
      const kind = this.data.kind as SymbolKind;
      if (typeof wx.createSelectorQuery !== 'function') return;
      wx.createSelectorQuery()
        .in(this)
        .select('#symbol')
        .fields({ node: true, size: true }, () => undefined)
        .exec((res: unknown[]) => {
          const measured = (res?.[0] ?? null) as Measured | null;
          const canvas = measured?.node;
          if (!canvas || typeof canvas.getContext !== 'function' || !measured?.width || !measured.height) {
            if (attempt < LAYOUT_ATTEMPTS && this.data.attached) setTimeout(() => this.draw(attempt + 1), 50);
            return;
          }
          const ctx = canvas.getContext('2d');
          if (!ctx) return;
          const pr = pixelRatio();
          canvas.width = Math.round(measured.width * pr);
          canvas.height = Math.round(measured.height * pr);
          ctx.fillStyle = '#ffffff';
          ctx.fillRect(0, 0, canvas.width, canvas.height);
          if (!value) return;
          ctx.fillStyle = '#000000';
          if (kind === 'code128') drawBars(ctx, value, canvas.width, canvas.height);
          else drawQr(ctx, value, canvas.width, canvas.height);
          this.setData({ drawn: value });
        });
    },
  },
});
