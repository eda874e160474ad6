import {
  axisLabels,
  chartOptions,
  countAxis,
  hasData,
  LABEL_SPACING_PX,
  MAX_LABELS,
  percentAxisMax,
  percentFormatter,
  Y_SPLITS,
  type ChartInput,
} from '../../../miniprogram/packageAdmin/components/trend-chart/options';

const days = (n: number) => Array.from({ length: n }, (_v, i) => `05-${String(i + 1).padStart(2, '0')}`);
const input = (patch: Partial<ChartInput> = {}): ChartInput => ({
  type: 'line',
  categories: ['05-01', '05-02', '05-03'],
  series: [{ name: '付费粉丝占比', data: [0.1, 0.2, 0.25] }],
  percent: true,
  width: 300,
  height: 200,
  pixelRatio: 2,
  ...patch,
});

describe('trend chart options (data → uCharts)', () => {
  test('S21 sizes are canvas pixels (CSS × ratio), drawn on a 2d canvas without animation', () => {
    const o = chartOptions(input({ width: 327.5, height: 220, pixelRatio: 3 }));
    expect(o).toMatchObject({ type: 'line', width: 983, height: 660, pixelRatio: 3, canvas2d: true, animation: false });
    expect(chartOptions(input({ pixelRatio: 0 }))).toMatchObject({ width: 300, height: 200, pixelRatio: 1 });
  });

  test('S21 seed 000: a percent line keeps the ratios, labels the axis in percent and tops it above the largest share', () => {
    const o = chartOptions(input());
    expect(o.categories).toEqual(['05-01', '05-02', '05-03']);
    expect(o.series).toEqual([{ name: '付费粉丝占比', data: [0.1, 0.2, 0.25], connectNulls: true }]);
    const axis = o.yAxis.data[0]!;
    expect(axis.min).toBe(0);
    expect(axis.max).toBeGreaterThan(0.25);
    expect(axis.max).toBeLessThanOrEqual(1);
    expect(axis.formatter!(0.25)).toBe('25%');
    expect(o.legend.show).toBe(false); // one series: the card title names it
    expect(o.extra.line).toMatchObject({ type: 'straight' });
  });

  test('missing figures are null (the line joins across them); series shorter than the categories are padded', () => {
    const o = chartOptions(
      input({
        series: [
          { name: 'a', data: [0.5, null] },
          { name: 'b', data: [NaN, 0.2, 0.3] },
        ],
      }),
    );
    expect(o.series.map((s) => s.data)).toEqual([
      [0.5, null, null],
      [null, 0.2, 0.3],
    ]);
    expect(o.legend.show).toBe(true);
  });

  test('small shares get one decimal; the axis never passes 100 %', () => {
    expect(percentFormatter(0.04)(0.035)).toBe('3.5%');
    expect(percentFormatter(0.5)(0.125)).toBe('13%');
    expect(percentAxisMax(0.6)).toBe(0.8); // 0 20 40 60 80 %
    expect(percentAxisMax(0.035)).toBe(0.04);
    expect(percentAxisMax(0.97)).toBe(1);
    expect(percentAxisMax(0)).toBeGreaterThan(0);
    // every top splits into round steps (whole tenths of a percent)
    for (const max of [0.001, 0.03, 0.07, 0.15, 0.33, 0.5, 0.7, 0.9]) {
      const step = (percentAxisMax(max) * 100) / Y_SPLITS;
      expect(Math.round(step * 10) / 10).toBeCloseTo(step, 9);
    }
  });

  test('S21 counts of people: every gridline is a whole number (no 0.25), from zero, all zero included', () => {
    const o = chartOptions(input({ type: 'column', percent: false, series: [{ name: '新会员', data: [3, 0, 5] }] }));
    expect(o.yAxis.splitNumber).toBe(Y_SPLITS);
    expect(axisLabels(o.yAxis.data[0]!)).toEqual(['0', '2', '4', '6', '8']);
    expect(o.extra.column).toMatchObject({ type: 'group' });
    expect(axisLabels(countAxis(0))).toEqual(['0', '1', '2', '3', '4']);
    expect(axisLabels(countAxis(1))).toEqual(['0', '1', '2', '3', '4']);
    for (const max of [1, 2, 3, 5, 7, 13, 99, 1001]) {
      const axis = countAxis(max);
      expect(axis.max).toBeGreaterThanOrEqual(max);
      expect(axisLabels(axis).every((l) => /^\d+$/.test(l))).toBe(true);
      expect(axis.max! % Y_SPLITS).toBe(0);
    }
  });

  test('x labels: one per 56 CSS px at most, never more than six, so dates do not overlap', () => {
    const o = chartOptions(input({ categories: days(90), series: [{ name: 'a', data: days(90).map(() => 0.3) }] }));
    expect(o.xAxis.labelCount).toBe(Math.floor(300 / LABEL_SPACING_PX));
    expect(chartOptions(input({ width: 600, categories: days(90) })).xAxis.labelCount).toBe(MAX_LABELS);
    expect(o.dataPointShape).toBe(false);
    expect(chartOptions(input()).xAxis.labelCount).toBeUndefined(); // a few days: every day labelled
  });

  test('a ring turns categories and the first series into named slices; the page lists them, so no canvas legend', () => {
    const o = chartOptions(
      input({
        type: 'ring',
        percent: false,
        categories: ['首购', '复购'],
        series: [{ name: '阶段', data: [2, null] }],
      }),
    );
    expect(o.series).toEqual([
      {
        data: [
          { name: '首购', value: 2 },
          { name: '复购', value: 0 },
        ],
      },
    ]);
    expect(o.categories).toEqual([]);
    expect(o.legend.show).toBe(false);
    expect(o.extra.ring).toMatchObject({ ringWidth: 22 }); // uCharts multiplies it by the pixel ratio
  });

  test('hasData: lines need one figure, a ring needs one above zero', () => {
    expect(hasData('line', [{ name: 'a', data: [null, 0] }])).toBe(true);
    expect(hasData('line', [{ name: 'a', data: [null, null] }])).toBe(false);
    expect(hasData('line', [])).toBe(false);
    expect(hasData('ring', [{ name: 'a', data: [0, 0] }])).toBe(false);
    expect(hasData('ring', [{ name: 'a', data: [0, 1] }])).toBe(true);
  });
});
