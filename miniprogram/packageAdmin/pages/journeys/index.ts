import { loadablePage } from '../../../behaviors/loadable-page';
import { call, type CallOutput } from '../../../services/cloud';
import { loadedInLanguage, ownText } from '../../../utils/page-base';
import { go } from '../../../utils/routes';
import { ROUTES, withQuery } from '../../../config/routes';
import { ask, can, currentStaff, fill, refusal } from '../../utils';
import { rowOf, type JourneyRow } from './rows';
import { texts } from './text';
import { unseen } from '../../../utils/paging';

type Journey = CallOutput<'messaging', 'journeys.list'>['items'][number];
type Change = { currentTarget: { dataset: { id?: string } }; detail: { value: boolean } };

const { title, pageText } = ownText(texts);

/**
 * Journeys (S16–S19, brand admin): each journey with a switch and its figures per step (reached,
 * waiting, sent, converted). Switching asks first; switching off says the waiting members leave.
 */
Component({
  ...loadablePage(texts, (t) => t.empty, {
    items: [] as JourneyRow[],
    page: 0,
    busy: '',
    actionError: '',
  }),
  methods: {
    ...loadedInLanguage(title, pageText, true),
    rows(items: Journey[]): JourneyRow[] {
      return items.map((j) => rowOf(j, this.data.t));
    },
    /** Staff without the right see why instead of a list. */
    async fetch() {
      const staff = await currentStaff();
      if (!can(staff, 'journeys.manage')) {
        this.setData({ emptyText: this.data.t.noRight });
        return false;
      }
      const r = await call('messaging', 'journeys.list', { page: 0 });
      const items = this.rows(r.items);
      this.setData({ items, page: 0, hasMore: r.hasMore, actionError: '', emptyText: this.data.t.empty });
      return items.length > 0;
    },
    async fetchMore() {
      const page = this.data.page + 1;
      const r = await call('messaging', 'journeys.list', { page });
      const added = this.rows(unseen(this.data.items, r.items, (j) => j.id));
      this.setData({ items: [...this.data.items, ...added], page, hasMore: r.hasMore });
    },
    create() {
      go(ROUTES.adminJourneyEdit);
    },
    edit(e: { currentTarget: { dataset: { id?: string } } }) {
      const id = e.currentTarget.dataset.id;
      if (id) go(withQuery('adminJourneyEdit', { id }));
    },
    setRow(id: string, patch: Partial<JourneyRow>) {
      this.setData({ items: this.data.items.map((x) => (x.id === id ? { ...x, ...patch } : x)) });
    },
    async toggle(e: Change) {
      const row = this.data.items.find((x) => x.id === e.currentTarget.dataset.id);
      if (!row || this.data.busy) return;
      const t = this.data.t;
      const enabled = !row.enabled;
      const question = enabled
        ? fill(t.askEnable, { name: row.name })
        : fill(t.askDisable, { name: row.name, active: row.active });
      if (!(await ask(question, enabled ? t.enable : t.disable))) {
        this.setRow(row.id, { enabled: row.enabled }); // the switch shows the state that holds
        return;
      }
      this.setData({ busy: row.id, actionError: '' });
      try {
        const r = await call('messaging', 'journeys.setEnabled', { journeyId: row.id, enabled });
        this.setRow(row.id, { enabled: r.enabled, active: r.activeRuns });
        wx.showToast({ title: r.enabled ? t.enabled : t.disabled, icon: 'success' });
      } catch (err) {
        this.setRow(row.id, { enabled: row.enabled });
        this.setData({ actionError: refusal(err, t.refused) });
      } finally {
        this.setData({ busy: '' });
      }
    },
  },
});
