import { ROUTES } from '../../../config/routes';
import { call } from '../../../services/cloud';
import { resetSession, session } from '../../../services/session';
import { localTime } from '../../../pages/coupons/coupon-text';
import { baseData, followLanguage, showInLanguage, type BaseData } from '../../../utils/page-base';
import { errorText, type Status } from '../../../utils/view-state';
import { ask, fill } from '../../utils';

interface SummaryRow {
  key: string;
  value: string;
}
/** Enough of the JSON to read on a phone; the whole file goes to the clipboard. */
const PREVIEW_CHARS = 4000;

const title = (base: BaseData): string => base.text.data.title;

interface RetentionDays {
  events: number;
  outbox: number;
  audit: number;
}

/** The privacy policy's retention lines, with the brand's periods (none until they are read). */
function keptLines(base: BaseData, days: RetentionDays | null): string[] {
  if (!days) return [];
  const t = base.text.data;
  return [
    t.keptProfile,
    t.keptLedger,
    fill(t.keptEvents, { days: days.events }),
    fill(t.keptOutbox, { days: days.outbox }),
    fill(t.keptAudit, { days: days.audit }),
  ];
}

/** PIPL "my data": export everything held (JSON), withdraw marketing consent, delete the account after confirmation. */
Component({
  data: {
    ...baseData(),
    status: 'loading' as Status,
    message: '',
    exporting: false,
    exportedAt: '',
    summary: [] as SummaryRow[],
    preview: '',
    json: '',
    error: '',
    busy: false,
    kept: [] as string[],
    retentionDays: null as RetentionDays | null,
  },
  methods: {
    onLoad() {
      showInLanguage(this, title);
      void this.load();
    },
    onShow() {
      followLanguage(this, title, (base) => ({ kept: keptLines(base, this.data.retentionDays) }));
    },
    retry() {
      this.setData({ status: 'loading' });
      void this.load();
    },
    async load() {
      try {
        await session();
        const policy = await call('member', 'privacyPolicy', {});
        const days = policy.retentionDays;
        this.setData({ status: 'ready', retentionDays: days, kept: keptLines(baseData(), days) });
      } catch (err) {
        this.setData({ status: 'error', message: errorText(err) });
      }
    },
    describe(value: unknown): string {
      if (Array.isArray(value)) return fill(this.data.text.data.items, { n: value.length });
      if (value && typeof value === 'object') return fill(this.data.text.data.items, { n: Object.keys(value).length });
      return value === null || value === undefined || value === '' ? '—' : String(value);
    },
    async exportData() {
      if (this.data.exporting) return;
      this.setData({ exporting: true, error: '' });
      try {
        const r = await call('member', 'exportData', {});
        const json = JSON.stringify(r, null, 2);
        this.setData({
          exportedAt: fill(this.data.text.data.exportedAt, { time: localTime(r.exportedAt) }),
          summary: Object.entries(r.data).map(([key, value]) => ({ key, value: this.describe(value) })),
          preview: json.length > PREVIEW_CHARS ? `${json.slice(0, PREVIEW_CHARS)}\n…` : json,
          json,
        });
      } catch (err) {
        this.setData({ error: errorText(err) });
      } finally {
        this.setData({ exporting: false });
      }
    },
    copy() {
      if (!this.data.json) return;
      wx.setClipboardData({
        data: this.data.json,
        success: () => wx.showToast({ title: this.data.text.data.copied, icon: 'success' }),
      });
    },
    async withdraw() {
      if (this.data.busy) return;
      if (!(await ask(this.data.text.profile.withdrawAsk))) return;
      await this.act(async () => {
        await call('member', 'withdrawMarketing', {});
        wx.showToast({ title: this.data.text.profile.withdrawn, icon: 'success' });
      });
    },
    async deleteAccount() {
      if (this.data.busy) return;
      if (!(await ask(this.data.text.data.deleteAsk, this.data.text.data.deleteConfirm))) return;
      await this.act(async () => {
        await call('member', 'deleteAccount', { confirm: true });
        wx.showToast({ title: this.data.text.data.deleted, icon: 'success' });
        resetSession(); // the next page logs in afresh, as a visitor
        wx.reLaunch({ url: ROUTES.home });
      });
    },
    async act(work: () => Promise<void>) {
      this.setData({ busy: true, error: '' });
      try {
        await work();
      } catch (err) {
        const error = errorText(err);
        this.setData({ error });
        wx.showToast({ title: error, icon: 'none' });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
