import UCharts from '@qiun/ucharts';
import { axisLabels, chartOptions, hasData, type ChartSeries, type ChartType } from './options';

interface CanvasNode {
  width: number;
  height: number;
  getContext(kind: '2d'): (CanvasContext & { clearRect(x: number, y: number, w: number, h: number): void }) | null;
}
type CanvasContext = object;
interface Measured {
  node?: CanvasNode | null;
  width?: number;
  height?: number;
}

function pixelRatio(): number {
  const info =
    typeof wx.getWindowInfo === 'function'
      ? wx.getWindowInfo()
      : typeof wx.getSystemInfoSync === 'function'
        ? wx.getSystemInfoSync()
        : undefined;
  return info?.pixelRatio && info.pixelRatio > 0 ? info.pixelRatio : 1;
}

/**
 * A uCharts chart on a `canvas type="2d"`: line or column over categories (days), or a ring of
 * shares. Draws when the canvas node and its 2D context exist (not in Node tests), and again
 * whenever the data changes. `drawn` counts the charts finished on the canvas.
 */
Component({
  options: { styleIsolation: 'apply-shared' },
  properties: {
    type: { type: String, value: 'line' },
    categories: { type: Array, value: [] },
    series: { type: Array, value: [] },
    /** Values are ratios shown as percentages. */
    percent: { type: Boolean, value: false },
    /** CSS pixels. */
    height: { type: Number, value: 220 },
    label: { type: String, value: '' },
    emptyText: { type: String, value: '' },
  },
  /** `yLabels`: the value axis's gridline labels as drawn (none for a ring). */
  data: { empty: false, drawn: 0, attached: false, yLabels: [] as string[] },
  observers: {
    'type, categories, series, percent': function (this: { data: { attached: boolean }; draw(): void }) {
      if (this.data.attached) this.draw();
    },
  },
  lifetimes: {
    ready() {
      this.setData({ attached: true });
      this.draw();
    },
  },
  methods: {
    draw() {
      const type = this.data.type as ChartType;
      const series = this.data.series as ChartSeries[];
      const categories = this.data.categories as string[];
      const empty = !hasData(type, series);
      if (empty !== this.data.empty) this.setData({ empty });
      if (typeof wx.createSelectorQuery !== 'function') return;
      const query = wx.createSelectorQuery().in(this);
      query
        .select('#chart')
        .fields({ node: true, size: true }, () => undefined)
        .exec((res: unknown[]) => {
          const measured = (res?.[0] ?? null) as Measured | null;
          const canvas = measured?.node;
          if (!canvas || typeof canvas.getContext !== 'function' || !measured?.width || !measured.height) return;
          const context = canvas.getContext('2d');
          if (!context) return;
          const pr = pixelRatio();
          canvas.width = Math.round(measured.width * pr);
          canvas.height = Math.round(measured.height * pr);
          context.clearRect(0, 0, canvas.width, canvas.height);
          if (empty) return;
          const options = chartOptions({
            type,
            categories,
            series,
            percent: this.data.percent as boolean,
            width: measured.width,
            height: measured.height,
            pixelRatio: pr,
          });
          this.setData({ yLabels: type === 'ring' ? [] : axisLabels(options.yAxis.data[0]!) });
          const chart = new UCharts({ ...options, context });
          chart.addEventListener('renderComplete', () => this.setData({ drawn: (this.data.drawn as number) + 1 }));
        });
    },
  },
});
