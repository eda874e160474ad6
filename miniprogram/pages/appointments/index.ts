import { ROUTES } from '../../config/routes';
import { call, type CallOutput } from '../../services/cloud';
import { refreshSession, session, type MemberView } from '../../services/session';
import { nameIn, statusText } from '../../utils/appointment-text';
import { baseData, brandTitle, followLanguage, showInLanguage } from '../../utils/page-base';
import { errorText, stopPullDown, type Status } from '../../utils/view-state';

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
  data: { ...baseData(), status: 'loading' as Status, message: '', rows: [] as Row[], more: 0, items: [] as Item[] },
  methods: {
    onLoad() {
      showInLanguage(this, brandTitle);
      void this.show(session());
    },
    onShow() {
      if (followLanguage(this, brandTitle)) this.render(this.data.items);
      // back from booking: the list may have changed (not on the first show, which onLoad covers)
      else if (this.data.status === 'ready' || this.data.status === 'empty') void this.list();
    },
    onPullDownRefresh() {
      void this.show(refreshSession()).then(stopPullDown);
    },
    book() {
      wx.navigateTo({ url: ROUTES.bookingServices });
    },
    openMine() {
      wx.navigateTo({ url: ROUTES.bookingMine });
    },
    retry() {
      this.setData({ status: 'loading' });
      void this.show(refreshSession());
    },
    async show(view: Promise<MemberView>) {
      try {
        await view;
        await this.list();
      } catch (err) {
        this.setData({ status: 'error', message: errorText(err) });
      }
    },
    async list() {
      const { items } = await call('appointments', 'mine', { scope: 'upcoming' });
      this.render(items);
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
