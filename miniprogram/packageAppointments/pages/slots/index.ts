import { call, type CallOutput } from '../../../services/cloud';
import { baseData, followLanguage, showInLanguage, type BaseData } from '../../../utils/page-base';
import { loadable } from '../../../behaviors/loadable';
import { errorText } from '../../../utils/view-state';
import { ROUTES, withQuery } from '../../../config/routes';
import { ask, dayLabel, fill, localDate, nameIn } from '../../utils';

type Availability = CallOutput<'appointments', 'availability'>;
interface StoreChip {
  storeId: string;
  name: string;
}
interface DayChip {
  date: string;
  day: string;
  weekday: string;
  open: boolean;
  free: number;
}
interface SlotCell {
  start: string;
  startLocal: string;
  remaining: number;
  full: boolean;
  leftText: string;
}

const DAYS_SHOWN = 14;

const title = (base: BaseData): string => base.text.booking.slotsNavTitle;

/**
 * Store and time picker: the stores offering the service, a strip of days with the free places
 * of each, the slots of the chosen day. Opened with `?appointment=` it moves that booking instead.
 */
Component({
  behaviors: [loadable],
  data: {
    ...baseData(),
    serviceId: '',
    serviceName: '',
    appointmentId: '',
    stores: [] as StoreChip[],
    storeId: '',
    days: [] as DayChip[],
    date: '',
    slots: [] as SlotCell[],
    busy: false,
    av: null as Availability | null,
  },
  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      showInLanguage(this, title, () => ({
        serviceId: query.service ?? '',
        storeId: query.store ?? '',
        appointmentId: query.appointment ?? '',
      }));
      void this.load();
    },
    onShow() {
      followLanguage(this, title);
    },
    /** The stores offering the service, then the days of the chosen one. */
    async fetch() {
      const cat = await call('appointments', 'catalogue', {});
      const service = cat.services.find((s) => s.serviceId === this.data.serviceId);
      if (!service) return false;
      const stores = cat.stores
        .filter((s) => service.storeIds.includes(s.storeId))
        .map((s) => ({ storeId: s.storeId, name: nameIn(s.name, this.data.lang) }));
      const storeId = stores.some((s) => s.storeId === this.data.storeId)
        ? this.data.storeId
        : (stores[0]?.storeId ?? '');
      this.setData({ serviceName: nameIn(service.name, this.data.lang), stores, storeId });
      await this.loadDays(Math.min(DAYS_SHOWN, service.bookingWindowDays + 1));
      return true;
    },
    async loadDays(count: number = DAYS_SHOWN) {
      const from = localDate(new Date());
      const av: Availability = await call('appointments', 'availability', {
        storeId: this.data.storeId,
        serviceId: this.data.serviceId,
        from,
        days: count,
      });
      const days: DayChip[] = av.days.map((d) => ({
        date: d.date,
        ...dayLabel(d.date, this.data.lang),
        open: d.open,
        free: d.slots.reduce((n, s) => n + s.remaining, 0),
      }));
      const first = days.find((d) => d.free > 0) ?? days[0];
      this.setData({ av, days, status: 'ready' });
      this.showDay(first?.date ?? from);
    },
    showDay(date: string) {
      const day = (this.data.av as Availability | null)?.days.find((d) => d.date === date);
      const slots: SlotCell[] = (day?.slots ?? []).map((s) => ({
        start: s.start,
        startLocal: s.startLocal,
        remaining: s.remaining,
        full: s.remaining === 0,
        leftText:
          s.remaining === 0 ? this.data.text.booking.full : fill(this.data.text.booking.left, { n: s.remaining }),
      }));
      this.setData({ date, slots });
    },
    pickDay(e: { currentTarget: { dataset: { date?: string } } }) {
      if (e.currentTarget.dataset.date) this.showDay(e.currentTarget.dataset.date);
    },
    async pickStore(e: { currentTarget: { dataset: { id?: string } } }) {
      const id = e.currentTarget.dataset.id;
      if (!id || id === this.data.storeId) return;
      this.setData({ storeId: id, status: 'loading' });
      try {
        await this.loadDays();
      } catch (err) {
        this.setData({ status: 'error', message: errorText(err) });
      }
    },
    async pickSlot(e: { currentTarget: { dataset: { start?: string } } }) {
      const slot = this.data.slots.find((s) => s.start === e.currentTarget.dataset.start);
      if (!slot || slot.full || this.data.busy) return;
      if (!this.data.appointmentId) {
        wx.navigateTo({
          url: withQuery('bookingConfirm', {
            service: this.data.serviceId,
            store: this.data.storeId,
            start: slot.start,
            date: this.data.date,
            time: slot.startLocal,
          }),
        });
        return;
      }
      if (!(await ask(fill(this.data.text.booking.rescheduleAsk, { time: `${this.data.date} ${slot.startLocal}` }))))
        return;
      this.setData({ busy: true });
      try {
        await call('appointments', 'reschedule', { appointmentId: this.data.appointmentId, start: slot.start });
        wx.showToast({ title: this.data.text.booking.rescheduled, icon: 'success' });
        wx.navigateBack({ fail: () => wx.redirectTo({ url: ROUTES.bookingMine }) });
      } catch (err) {
        wx.showToast({ title: errorText(err), icon: 'none' });
        await this.loadDays().catch(() => undefined);
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
