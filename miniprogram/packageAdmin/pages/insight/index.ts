import { loadablePage } from '../../../behaviors/loadable-page';
import { call } from '../../../services/cloud';
import { serverNow } from '../../../services/session';
import { followLanguage, showInLanguage, type BaseData } from '../../../utils/page-base';
import { errorText } from '../../../utils/view-state';
import type { InsightKind } from '../../../../core/contracts/insight';
import { can, currentStaff, fill, textOf } from '../../utils';
import { presetRange, type DateRange } from '../dashboard/range';
import { cellText, chartOf, type InsightChart, type Table } from './chart';
import { canSaveFile, copyText, saveFile } from './exporter';
import { stageWord, texts, wordFor } from './text';

const KINDS: InsightKind[] = ['lifecycle', 'messaging', 'referral', 'unfollow', 'retention'];
const PRESETS = [30, 90, 365];
const DEFAULT_DAYS = 90;
/** Columns whose cells are lifecycle stages, shown by name. */
const STAGE_COLUMNS = ['from', 'to', 'group'];
const noChart = (): InsightChart => ({ type: 'column', categories: [], series: [], percent: false });

type Tap = { currentTarget: { dataset: { kind?: InsightKind; days?: string | number } } };
const title = (base: BaseData): string => textOf(texts, base.lang).title;
const pageText = (base: BaseData) => {
  const t = textOf(texts, base.lang);
  return { t, emptyText: t.empty, emptyHint: t.emptyHint, kinds: KINDS.map((id) => ({ id, label: t.reports[id] })) };
};

/**
 * Insight reports (managers and brand admins): one report at a time from `insight.report` over a
 * period, drawn as a chart and listed as a table, exported as CSV to the clipboard or a file.
 */
Component({
  ...loadablePage(texts, (t) => t.empty, {
    emptyHint: texts.zh.emptyHint,
    kinds: [] as { id: InsightKind; label: string }[],
    kind: 'lifecycle' as InsightKind,
    days: DEFAULT_DAYS,
    presets: PRESETS,
    range: presetRange(DEFAULT_DAYS, serverNow()) as DateRange,
    table: null as Table | null,
    head: [] as string[],
    cells: [] as string[][],
    chart: noChart(),
    asOfText: '',
    canSave: false,
    exporting: false,
    exportError: '',
  }),
  methods: {
    onLoad() {
      showInLanguage(this, title, pageText);
      this.setData({ canSave: canSaveFile() });
      void this.load();
    },
    onShow() {
      if (followLanguage(this, title, pageText) && this.data.table) this.show(this.data.table);
    },
    async fetch(refresh: boolean) {
      const staff = await currentStaff(refresh);
      if (!can(staff, 'dashboard.read')) {
        this.setData({ emptyText: this.data.t.noRight, emptyHint: '' });
        return false;
      }
      const { kind, range } = this.data;
      const r = await call('admin', 'insight.report', { kind, from: range.from, to: range.to });
      // a tab or period picked while this was on its way: its own read answers
      if (kind !== this.data.kind || range !== this.data.range) return undefined;
      const t = this.data.t;
      this.setData({
        emptyText: t.empty,
        emptyHint: t.emptyHint,
        asOfText: r.asOf ? fill(t.asOf, { date: r.asOf }) : '',
      });
      this.show({ columns: r.columns, rows: r.rows });
      return r.rows.length > 0;
    },
    show(table: Table) {
      const { t, lang, kind } = this.data;
      const word = (id: string) => wordFor(t, lang, id);
      this.setData({
        table,
        head: table.columns.map(word),
        cells: table.rows.map((row) =>
          row.map((v, i) => {
            const column = table.columns[i]!;
            return STAGE_COLUMNS.includes(column) && typeof v === 'string' ? stageWord(lang, v) : cellText(column, v);
          }),
        ),
        chart: chartOf(kind, table, word),
      });
    },
    pickKind(e: Tap) {
      const kind = e.currentTarget.dataset.kind;
      if (!kind || kind === this.data.kind) return;
      this.setData({ kind, status: 'loading', exportError: '' });
      void this.load();
    },
    pickDays(e: Tap) {
      const days = Number(e.currentTarget.dataset.days);
      if (!days || days === this.data.days) return;
      this.setData({ days, range: presetRange(days, serverNow()), status: 'loading', exportError: '' });
      void this.load();
    },
    /** The report as CSV from the server (the same table, with its header row). */
    async csv(): Promise<string | null> {
      const { kind, range } = this.data;
      this.setData({ exporting: true, exportError: '' });
      try {
        const r = await call('admin', 'insight.report', { kind, from: range.from, to: range.to, format: 'csv' });
        return r.csv;
      } catch (err) {
        this.setData({ exportError: errorText(err) });
        return null;
      } finally {
        this.setData({ exporting: false });
      }
    },
    async copyCsv() {
      if (this.data.exporting) return;
      const csv = await this.csv();
      if (csv === null) return;
      try {
        await copyText(csv);
        wx.showToast({ title: this.data.t.copied, icon: 'success' });
      } catch {
        this.setData({ exportError: this.data.t.exportFailed });
      }
    },
    async saveCsv() {
      if (this.data.exporting || !this.data.canSave) return;
      const csv = await this.csv();
      if (csv === null) return;
      const { kind, range } = this.data;
      try {
        const file = await saveFile(`${kind}-${range.from}-${range.to}.csv`, csv);
        wx.showToast({ title: fill(this.data.t.saved, { file }), icon: 'none' });
      } catch {
        this.setData({ exportError: this.data.t.exportFailed });
      }
    },
  },
});
