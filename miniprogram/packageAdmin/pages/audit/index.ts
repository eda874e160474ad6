import { loadable } from '../../../behaviors/loadable';
import { call, ServiceError, type CallInput } from '../../../services/cloud';
import { baseData, loadedWithOwnText } from '../../../utils/page-base';
import { showTitle } from '../../../utils/page-title';
import { textOf } from '../../utils';
import { rowOf, type Row } from './rows';
import { FILTER_ACTIONS, texts } from './text';
import { unseen } from '../../../utils/paging';

interface Filters {
  staffId: string;
  memberId: string;
  auditAction: string;
}
type Input = { detail: { value: string } };
type Tap = { currentTarget: { dataset: { action?: string } } };
const NO_FILTERS: Filters = { staffId: '', memberId: '', auditAction: '' };

/** The filters that are set, as the contract names them (empty ones left out). */
function inputOf(f: Filters, page: number): CallInput<'admin', 'audit.list'> {
  return {
    ...(f.staffId.trim() ? { staffId: f.staffId.trim() } : {}),
    ...(f.memberId.trim() ? { memberId: f.memberId.trim() } : {}),
    ...(f.auditAction ? { auditAction: f.auditAction } : {}),
    page,
  };
}

/**
 * The audit trail (S21, admins): who did what to which record, when, and the record before and
 * after; newest first, 20 at a time, filtered by staff, member (the record acted on) and action.
 */
Component({
  behaviors: [loadable],
  data: {
    ...baseData(),
    t: texts.zh,
    actionChips: [] as { action: string; label: string }[],
    form: { ...NO_FILTERS },
    applied: { ...NO_FILTERS },
    rows: [] as Row[],
    page: 0,
  },
  methods: {
    ...loadedWithOwnText(),
    applyLang() {
      const t = textOf(texts, this.data.lang);
      showTitle(t.title);
      this.setData({
        t,
        actionChips: [
          { action: '', label: t.allActions },
          ...FILTER_ACTIONS.map((action) => ({ action, label: t.actions[action] ?? action })),
        ],
      });
    },
    /** The first page under the applied filters. */
    async fetch() {
      const r = await call('admin', 'audit.list', inputOf(this.data.applied, 0));
      const rows = r.items.map((a) => rowOf(a, this.data.t));
      this.setData({ rows, page: 0, hasMore: r.hasMore });
      return rows.length > 0;
    },
    async fetchMore() {
      const page = this.data.page + 1;
      const r = await call('admin', 'audit.list', inputOf(this.data.applied, page));
      const rows = [
        ...this.data.rows,
        ...unseen(this.data.rows, r.items, (a) => a.id).map((a) => rowOf(a, this.data.t)),
      ];
      this.setData({ rows, page, hasMore: r.hasMore });
    },
    errorMessage(err: unknown) {
      return err instanceof ServiceError && err.code === 'FORBIDDEN' ? this.data.t.forbidden : undefined;
    },
    onStaff(e: Input) {
      this.setData({ 'form.staffId': e.detail.value });
    },
    onMember(e: Input) {
      this.setData({ 'form.memberId': e.detail.value });
    },
    pickAction(e: Tap) {
      this.setData({ 'form.auditAction': e.currentTarget.dataset.action ?? '' });
      return this.apply();
    },
    apply() {
      this.setData({ applied: { ...this.data.form }, status: 'loading' });
      return this.load();
    },
    clear() {
      this.setData({ form: { ...NO_FILTERS } });
      return this.apply();
    },
  },
});
