import { loadable } from '../../../behaviors/loadable';
import { call, type CallOutput } from '../../../services/cloud';
import { session } from '../../../services/session';
import { baseData, followLanguage, showInLanguage, type BaseData } from '../../../utils/page-base';
import { errorText } from '../../../utils/view-state';
import { ROUTES, withQuery } from '../../../config/routes';
import { ask, nameIn, statusText } from '../../utils';

type Item = CallOutput<'appointments', 'mine'>['items'][number];
interface Card {
  appointmentId: string;
  serviceId: string;
  storeId: string;
  title: string;
  store: string;
  when: string;
  status: string;
  statusText: string;
  changeable: boolean;
}
type Scope = 'upcoming' | 'past';

const title = (base: BaseData): string => base.text.booking.mineNavTitle;

/** My appointments: upcoming (cancel, change time) and past. */
Component({
  behaviors: [loadable],
  data: { ...baseData(), scope: 'upcoming' as Scope, items: [] as Card[], busy: false },
  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      showInLanguage(this, title, () => ({ scope: query.scope === 'past' ? 'past' : 'upcoming' }));
      void this.load();
    },
    onShow() {
      followLanguage(this, title);
    },
    card(a: Item, now: number): Card {
      const lang = this.data.lang;
      return {
        appointmentId: a.appointmentId,
        serviceId: a.serviceId,
        storeId: a.storeId,
        title: nameIn(a.serviceName, lang),
        store: nameIn(a.storeName, lang),
        when: `${a.date} ${a.startLocal}`,
        status: a.status,
        statusText: statusText(a.status, this.data.text),
        changeable: (a.status === 'requested' || a.status === 'confirmed') && now <= Date.parse(a.changeableUntil),
      };
    },
    async fetch() {
      const scope = this.data.scope;
      await session();
      const r = await call('appointments', 'mine', { scope });
      if (scope !== this.data.scope) return undefined; // the other list was chosen meanwhile
      const now = Date.now();
      const items = r.items.map((a) => this.card(a, now));
      this.setData({ items });
      return items.length > 0;
    },
    switchScope(e: { currentTarget: { dataset: { scope?: Scope } } }) {
      const scope = e.currentTarget.dataset.scope;
      if (!scope || scope === this.data.scope) return;
      this.setData({ scope, status: 'loading' });
      void this.load();
    },
    find(e: { currentTarget: { dataset: { id?: string } } }): Card | undefined {
      return this.data.items.find((c) => c.appointmentId === e.currentTarget.dataset.id);
    },
    async cancel(e: { currentTarget: { dataset: { id?: string } } }) {
      const c = this.find(e);
      if (!c || this.data.busy) return;
      if (!c.changeable) {
        wx.showToast({ title: this.data.text.booking.locked, icon: 'none' });
        return;
      }
      if (!(await ask(this.data.text.booking.cancelAsk))) return;
      this.setData({ busy: true });
      try {
        await call('appointments', 'cancel', { appointmentId: c.appointmentId });
        wx.showToast({ title: this.data.text.booking.cancelled, icon: 'success' });
        await this.load();
      } catch (err) {
        wx.showToast({ title: errorText(err), icon: 'none' });
      } finally {
        this.setData({ busy: false });
      }
    },
    reschedule(e: { currentTarget: { dataset: { id?: string } } }) {
      const c = this.find(e);
      if (!c) return;
      if (!c.changeable) {
        wx.showToast({ title: this.data.text.booking.locked, icon: 'none' });
        return;
      }
      wx.navigateTo({
        url: withQuery('bookingSlots', { service: c.serviceId, store: c.storeId, appointment: c.appointmentId }),
      });
    },
    book() {
      wx.navigateTo({ url: ROUTES.bookingServices });
    },
  },
});
