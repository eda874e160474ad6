import { loadablePage } from '../../../behaviors/loadable-page';
import { call, type CallOutput } from '../../../services/cloud';
import { loadedInLanguage, ownText } from '../../../utils/page-base';
import { ask, can, currentStaff, fill, refusal, requestIdFor, settleRequestId } from '../../utils';
import { draftOf, emptyForm, type Channel, type Kind, type TemplateForm } from './draft';
import { rowOf, type TemplateRow } from './rows';
import { STOCK_STEPS, texts } from './text';
import { unseen } from '../../../utils/paging';

type Template = CallOutput<'coupons', 'templates.list'>['items'][number];
type Tap = { currentTarget: { dataset: { id?: string; value?: string; field?: string } } };
type Input = { currentTarget: { dataset: { field?: string } }; detail: { value: string } };

const { title, pageText } = ownText(texts);

/**
 * Request keys outlive an answer that never came: a retry after a network failure sends the same
 * key, so the server applies a create or a stock change once; after an answer the next tap is new.
 */
const keys: Record<string, string> = {};
const keyFor = (intent: string): string => requestIdFor(keys, intent, 'ct');
const settle = (intent: string, err?: unknown): void => settleRequestId(keys, intent, err);

/**
 * Coupon templates (S10, brand admin): every template with a stock bar (claimed of total), claimed
 * and redeemed counts; create one, add or remove stock, pause or resume, each after a confirmation.
 */
Component({
  ...loadablePage(texts, (t) => t.empty, {
    items: [] as TemplateRow[],
    page: 0,
    steps: [...STOCK_STEPS] as number[],
    step: 10,
    busy: '',
    actionError: '',
    formOpen: false,
    form: emptyForm() as TemplateForm,
    formError: '',
    kinds: ['amountOff', 'percentOff', 'gift'] as Kind[],
    channels: ['claimCentre', 'grant', 'pointsMall'] as Channel[],
  }),
  methods: {
    ...loadedInLanguage(title, pageText, true),
    row(x: Template): TemplateRow {
      return rowOf(x, this.data.t, this.data.text, this.data.lang);
    },
    /** Staff without the right see why instead of a list; an open form keeps the page shown. */
    async fetch() {
      const staff = await currentStaff();
      if (!can(staff, 'coupons.manageTemplates')) {
        this.setData({ emptyText: this.data.t.noRight });
        return false;
      }
      const r = await call('coupons', 'templates.list', { page: 0 });
      const items = r.items.map((x) => this.row(x));
      this.setData({ items, page: 0, hasMore: r.hasMore, emptyText: this.data.t.empty });
      return items.length > 0 || this.data.formOpen;
    },
    async fetchMore() {
      const page = this.data.page + 1;
      const r = await call('coupons', 'templates.list', { page });
      const added = unseen(this.data.items, r.items, (x) => x.templateId).map((x) => this.row(x));
      this.setData({ items: [...this.data.items, ...added], page, hasMore: r.hasMore });
    },
    /** Puts a template the server answered with in place of its row. */
    replace(x: Template) {
      this.setData({ items: this.data.items.map((r) => (r.templateId === x.templateId ? this.row(x) : r)) });
    },
    toggleForm() {
      this.setData({
        formOpen: !this.data.formOpen,
        formError: '',
        ...(this.data.status === 'empty' && !this.data.formOpen ? { status: 'ready' } : {}),
      });
    },
    onField(e: Input) {
      const field = e.currentTarget.dataset.field;
      if (field) this.setData({ [`form.${field}`]: e.detail.value, formError: '' });
    },
    pickKind(e: Tap) {
      this.setData({ 'form.kind': e.currentTarget.dataset.value as Kind, formError: '' });
    },
    pickChannel(e: Tap) {
      this.setData({ 'form.channel': e.currentTarget.dataset.value as Channel, formError: '' });
    },
    pickStep(e: Tap) {
      this.setData({ step: Number(e.currentTarget.dataset.value) || 10 });
    },
    async create() {
      if (this.data.busy) return;
      const t = this.data.t;
      const checked = draftOf(this.data.form, t);
      if ('problem' in checked) {
        this.setData({ formError: checked.problem });
        return;
      }
      if (!(await ask(fill(t.askCreate, { name: checked.draft.name.zh })))) return;
      this.setData({ busy: 'create', formError: '' });
      try {
        const r = await call('coupons', 'templates.create', { ...checked.draft, requestId: keyFor('create') });
        settle('create');
        const rest = this.data.items.filter((x) => x.templateId !== r.template.templateId);
        this.setData({ items: [this.row(r.template), ...rest], form: emptyForm(), formOpen: false, status: 'ready' });
        wx.showToast({ title: t.created, icon: 'success' });
      } catch (err) {
        settle('create', err);
        this.setData({ formError: refusal(err, t.refused) });
      } finally {
        this.setData({ busy: '' });
      }
    },
    addStock(e: Tap) {
      return this.changeStock(e.currentTarget.dataset.id ?? '', this.data.step);
    },
    removeStock(e: Tap) {
      return this.changeStock(e.currentTarget.dataset.id ?? '', -this.data.step);
    },
    async changeStock(templateId: string, delta: number) {
      const row = this.data.items.find((x) => x.templateId === templateId);
      if (!row || this.data.busy) return;
      const t = this.data.t;
      const question =
        delta > 0
          ? fill(t.askAdd, { name: row.name, n: delta })
          : fill(t.askRemove, { name: row.name, n: -delta, claimed: row.claimed });
      if (!(await ask(question))) return;
      const intent = `stock:${templateId}:${delta}`;
      this.setData({ busy: templateId, actionError: '' });
      try {
        const r = await call('coupons', 'templates.stock', { templateId, delta, requestId: keyFor(intent) });
        settle(intent);
        this.replace(r.template);
        wx.showToast({ title: t.stockDone, icon: 'success' });
      } catch (err) {
        settle(intent, err);
        this.setData({ actionError: refusal(err, t.refused) });
      } finally {
        this.setData({ busy: '' });
      }
    },
    async togglePause(e: Tap) {
      const row = this.data.items.find((x) => x.templateId === e.currentTarget.dataset.id);
      if (!row || this.data.busy) return;
      const t = this.data.t;
      const paused = !row.paused;
      if (!(await ask(fill(paused ? t.askPause : t.askResume, { name: row.name }), paused ? t.pause : t.resume)))
        return;
      this.setData({ busy: row.templateId, actionError: '' });
      try {
        const r = await call('coupons', 'templates.pause', { templateId: row.templateId, paused });
        this.replace(r.template);
        wx.showToast({ title: paused ? t.pauseDone : t.resumeDone, icon: 'success' });
      } catch (err) {
        this.setData({ actionError: refusal(err, t.refused) });
      } finally {
        this.setData({ busy: '' });
      }
    },
  },
});
