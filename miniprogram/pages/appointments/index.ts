import { ROUTES } from '../../config/routes';
import { loadable } from '../../behaviors/loadable';
import { call, type CallOutput } from '../../services/cloud';
import { refreshSession, session } from '../../services/session';
import { nameIn, statusText } from '../../utils/appointment-text';
import { baseData, brandTitle, followLanguage, showInLanguage } from '../../utils/page-base';

type Item = CallOutput<'appointments', 'mine'>['items'][number];
interface Row {
  id: string;
  title: string;
  store: string;
  when: string;
  status: string;
  waiting: boolean;
}

/** The tab shows this many of the next bookings; the rest are on "my appointments". */
const SHOWN = 3;

/**
 * The bookings tab: the next upcoming appointments with their status, and the entrances to
 * booking a service and to all my appointments (both in packageAppointments).
 */
Component({
  behaviors: [loadable],
  data: { ...baseData(), rows: [] as Row[], more: 0, items: [] as Item[] },
  methods: {
    onLoad() {
      showInLanguage(this, brandTitle);
      void this.load();
    },
    onShow() {
      if (followLanguage(this, brandTitle)) this.render(this.data.items);
      // back from booking: the list may have changed (not on the first show, which onLoad covers)
      else if (this.data.status === 'ready' || this.data.status === 'empty') void this.load();
    },
    book() {
      wx.navigateTo({ url: ROUTES.bookingServices });
    },
    openMine() {
      wx.navigateTo({ url: ROUTES.bookingMine });
    },
    async fetch(refresh: boolean) {
      await (refresh ? refreshSession() : session());
      const { items } = await call('appointments', 'mine', { scope: 'upcoming' });
      this.render(items);
      return items.length > 0;
    },
    render(items: Item[]) {
      const { text, lang } = this.data;
      const rows = items.slice(0, SHOWN).map((a) => ({
        id: a.appointmentId,
        title: nameIn(a.serviceName, lang),
        store: nameIn(a.storeName, lang),
        when: `${a.date} ${a.startLocal}`,
        status: statusText(a.status, text),
        waiting: a.status === 'requested',
      }));
      this.setData({ items, rows, more: Math.max(0, items.length - SHOWN), status: items.length ? 'ready' : 'empty' });
    },
  },
});
