import { call, ServiceError } from '../../../services/cloud';
import { serverNow } from '../../../services/session';
import { baseData, followLanguage, showInLanguage, ownText } from '../../../utils/page-base';
import { errorText, stopPullDown, type Status } from '../../../utils/view-state';
import { fill } from '../../utils';
import {
  dailyOf,
  figuresOf,
  pct,
  ratesOf,
  stagesOf,
  trendOf,
  type ChartData,
  type Figure,
  type StageBar,
  type Summary,
} from './figures';
import { isDate, lastCompleteDay, presetOf, presetRange, type DateRange } from './range';
import { texts, type DashboardText } from './text';

const RANGE_TOO_LONG = 'RANGE_TOO_LONG';
const DEFAULT_DAYS = 30;
const noChart = (): ChartData => ({ categories: [], series: [] });

const { title, pageText } = ownText(texts);

/**
 * The staff dashboard (S21, seed 000) from the daily statistics, one call per range: summary
 * figures, the paid-among-followers trend, lifecycle stages, new members per day, coupon and
 * appointment rates. Ranges: 7/30/90-day presets or two date pickers; a range the server refuses
 * (RANGE_TOO_LONG) keeps the figures shown and says why.
 */
Component({
  data: {
    ...baseData(),
    t: texts.zh as DashboardText,
    status: 'loading' as Status,
    message: '',
    range: presetRange(DEFAULT_DAYS, serverNow()) as DateRange,
    preset: DEFAULT_DAYS as number,
    maxDate: lastCompleteDay(serverNow()),
    busy: false,
    rangeError: '',
    summary: null as Summary | null,
    figures: [] as Figure[],
    trend: noChart(),
    trendLabel: '',
    stageBars: [] as StageBar[],
    stageChart: noChart(),
    daily: noChart(),
    rates: noChart(),
    hasRates: false,
  },
  methods: {
    onLoad() {
      showInLanguage(this, title, (base) => ({
        ...pageText(base),
        range: presetRange(DEFAULT_DAYS, serverNow()),
        preset: DEFAULT_DAYS,
        maxDate: lastCompleteDay(serverNow()),
      }));
      void this.load();
    },
    onShow() {
      if (followLanguage(this, title, pageText) && this.data.summary) this.show(this.data.summary);
    },
    onPullDownRefresh() {
      void this.load().then(stopPullDown);
    },
    retry() {
      this.setData({ status: 'loading' });
      void this.load();
    },
    /** A preset chip: the last 7, 30 or 90 complete days. */
    pickPreset(e: WechatMiniprogram.TouchEvent) {
      const days = Number(e.currentTarget.dataset.days);
      if (!days || this.data.busy) return;
      void this.load(presetRange(days, serverNow()));
    },
    onFromChange(e: { detail: { value: string } }) {
      if (isDate(e.detail.value)) void this.load({ from: e.detail.value, to: this.data.range.to });
    },
    onToChange(e: { detail: { value: string } }) {
      if (isDate(e.detail.value)) void this.load({ from: this.data.range.from, to: e.detail.value });
    },
    /**
     * Loads a range (the current one by default). The first load shows the loading state; later
     * ones keep the figures on screen until the answer, and a refused range leaves them as they were.
     */
    async load(next?: DateRange) {
      const range = next ?? this.data.range;
      this.setData({ busy: true, rangeError: '' });
      try {
        const summary = await call('admin', 'dashboard.summary', { from: range.from, to: range.to });
        this.setData({ range, preset: presetOf(range, serverNow()), maxDate: lastCompleteDay(serverNow()) });
        this.show(summary);
      } catch (err) {
        const refusedRange = err instanceof ServiceError && err.code === RANGE_TOO_LONG;
        if (refusedRange && this.data.status !== 'loading') this.setData({ rangeError: errorText(err) });
        else this.setData({ status: 'error', message: errorText(err) });
      } finally {
        this.setData({ busy: false });
      }
    },
    show(summary: Summary) {
      const t = this.data.t;
      const stages = stagesOf(summary.latest, t);
      const rates = ratesOf(summary.days, t);
      this.setData({
        summary,
        status: summary.days.length ? 'ready' : 'empty',
        figures: figuresOf(summary, t),
        trend: trendOf(summary.days, t),
        trendLabel: fill(t.trendLabel, { value: pct(summary.latest?.paidAmongFollowers ?? null, t) }),
        stageBars: stages.bars,
        stageChart: stages.chart,
        daily: dailyOf(summary.days, t),
        rates,
        hasRates: rates.series.some((s) => s.data.some((v) => v !== null)),
      });
    },
  },
});
