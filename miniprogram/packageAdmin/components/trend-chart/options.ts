/**
 * Data → uCharts options, with no platform calls, so it can be tested on its own. The component
 * adds the canvas context; sizes are in canvas pixels (CSS size × pixel ratio), as uCharts draws
 * on a `type="2d"` canvas without scaling the context.
 */
export type ChartType = 'line' | 'column' | 'ring';

export interface ChartSeries {
  name: string;
  /** One value per category; null where the day has no figure. */
  data: (number | null)[];
}

export interface ChartInput {
  type: ChartType;
  categories: string[];
  series: ChartSeries[];
  /** Values are ratios (0.25) shown as percentages (25%). */
  percent: boolean;
  /** CSS pixels of the canvas. */
  width: number;
  height: number;
  pixelRatio: number;
  colors?: string[];
}

export interface RingDatum {
  name: string;
  value: number;
}

/** The subset of uCharts' options this app sets (the library is untyped). */
export interface ChartOptions {
  type: ChartType;
  width: number;
  height: number;
  pixelRatio: number;
  canvas2d: true;
  animation: false;
  background: string;
  color: string[];
  padding: number[];
  fontSize: number;
  dataLabel: boolean;
  dataPointShape: boolean;
  categories: string[];
  series: { name?: string; data: (number | null)[] | RingDatum[]; connectNulls?: boolean }[];
  legend: { show: boolean; position: 'bottom' };
  /** labelCount only when there are more days than labels (uCharts then picks evenly spaced ones). */
  xAxis: { disableGrid: boolean; labelCount?: number; fontSize: number };
  yAxis: { gridType: 'dash'; splitNumber: number; data: YAxis[] };
  extra: Record<string, Record<string, unknown>>;
}

export interface YAxis {
  min: number;
  max?: number;
  formatter?: (value: number) => string;
}

export const DEFAULT_COLORS = ['#8c2f39', '#d08770', '#5b8ff9', '#5ad8a6', '#f6bd16', '#6f5ef9', '#9a9a9a'];

/** At most this many x-axis labels, whatever the number of days, and one per this many CSS pixels of width. */
export const MAX_LABELS = 6;
export const LABEL_SPACING_PX = 56;

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

const valueOr0 = (v: number | null | undefined): number => (finite(v) ? v : 0);
const valueOrNull = (v: number | null | undefined): number | null => (finite(v) ? v : null);

/** True when there is at least one figure to draw (a ring needs one above zero). */
export function hasData(type: ChartType, series: ChartSeries[]): boolean {
  const values = series.flatMap((s) => s.data).filter(finite);
  return type === 'ring' ? values.some((v) => v > 0) : values.length > 0;
}

/** 0.1234 → '12.3%' when the largest value is under 10 %, else '12%'. */
export function percentFormatter(max: number): (value: number) => string {
  const digits = max < 0.1 ? 1 : 0;
  return (value) => `${(value * 100).toFixed(digits)}%`;
}

/** Tops of a percent axis: with `Y_SPLITS` gridlines each gives round steps (0.5 %, 1 %, … 25 %). */
const PERCENT_TOPS = [0.02, 0.04, 0.08, 0.1, 0.2, 0.4, 0.6, 0.8, 1];
export const Y_SPLITS = 4;

/** A count axis (people, orders): a top that `Y_SPLITS` divides, so every gridline is a whole number. */
export function countAxis(max: number): YAxis {
  const step = Math.max(1, Math.ceil(max / Y_SPLITS));
  return { min: 0, max: step * Y_SPLITS, formatter: (value) => String(Math.round(value)) };
}

/** The labels of an axis's gridlines, bottom to top. */
export function axisLabels(axis: YAxis): string[] {
  const top = axis.max ?? 1;
  const format = axis.formatter ?? ((v: number) => String(v));
  return Array.from({ length: Y_SPLITS + 1 }, (_, i) => format(axis.min + ((top - axis.min) * i) / Y_SPLITS));
}

/** The smallest round top a little above the largest ratio (never above 100 %). */
export function percentAxisMax(max: number): number {
  return PERCENT_TOPS.find((top) => top >= max * 1.05) ?? 1;
}

export function chartOptions(input: ChartInput): ChartOptions {
  const pr = input.pixelRatio > 0 ? input.pixelRatio : 1;
  const color = input.colors && input.colors.length > 0 ? input.colors : DEFAULT_COLORS;
  const labels = Math.max(2, Math.min(MAX_LABELS, Math.floor(input.width / LABEL_SPACING_PX)));
  const base = {
    type: input.type,
    width: Math.round(input.width * pr),
    height: Math.round(input.height * pr),
    pixelRatio: pr,
    canvas2d: true as const,
    animation: false as const,
    background: '#FFFFFF',
    color,
    fontSize: 11,
    dataPointShape: input.categories.length <= 14,
    // a ring's shares are listed beside it by the page, so its legend would only repeat them
    legend: { show: input.type !== 'ring' && input.series.length > 1, position: 'bottom' as const },
    xAxis: { disableGrid: true, fontSize: 10, ...(input.categories.length > labels ? { labelCount: labels } : {}) },
  };
  if (input.type === 'ring') {
    const values = input.series[0]?.data ?? [];
    return {
      ...base,
      padding: [5, 5, 5, 5],
      dataLabel: false,
      categories: [],
      series: [{ data: input.categories.map((name, i) => ({ name, value: valueOr0(values[i]) })) }],
      yAxis: { gridType: 'dash', splitNumber: Y_SPLITS, data: [{ min: 0 }] },
      // uCharts scales ring widths by the pixel ratio itself
      extra: {
        ring: {
          ringWidth: 22,
          border: true,
          borderWidth: 2,
          borderColor: '#FFFFFF',
          centerColor: '#FFFFFF',
          offsetAngle: -90,
        },
      },
    };
  }
  const max = Math.max(0, ...input.series.flatMap((s) => s.data).filter(finite));
  const axis = input.percent ? { min: 0, max: percentAxisMax(max), formatter: percentFormatter(max) } : countAxis(max);
  return {
    ...base,
    padding: [15, 15, 5, 5],
    dataLabel: false,
    categories: [...input.categories],
    series: input.series.map((s) => ({
      name: s.name,
      data: input.categories.map((_c, i) => valueOrNull(s.data[i])),
      connectNulls: true,
    })),
    yAxis: { gridType: 'dash', splitNumber: Y_SPLITS, data: [axis] },
    extra:
      input.type === 'line'
        ? { line: { type: 'straight', width: 2 } }
        : {
            column: {
              type: 'group',
              width: Math.max(4, Math.min(24, 240 / Math.max(1, input.categories.length))) * pr,
              seriesGap: 2,
            },
          },
  };
}
