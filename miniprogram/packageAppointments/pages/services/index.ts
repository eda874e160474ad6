import { call } from '../../../services/cloud';
import { baseData, followLanguage, showInLanguage, type BaseData } from '../../../utils/page-base';
import { errorText, stopPullDown, type Status } from '../../../utils/view-state';
import { withQuery } from '../../../config/routes';
import { fill, nameIn, priceText } from '../../utils';

interface ServiceItem {
  serviceId: string;
  title: string;
  duration: string;
  price: string;
}

const title = (base: BaseData): string => base.text.booking.servicesNavTitle;

/** Bookable services (of one store when opened with `?store=`); a tap opens the store and time picker. */
Component({
  data: { ...baseData(), status: 'loading' as Status, message: '', storeId: '', services: [] as ServiceItem[] },
  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      showInLanguage(this, title, () => ({ storeId: query.store ?? '' }));
      void this.load();
    },
    onShow() {
      if (followLanguage(this, title)) void this.load();
    },
    onPullDownRefresh() {
      void this.load().then(stopPullDown);
    },
    retry() {
      this.setData({ status: 'loading' });
      void this.load();
    },
    async load() {
      try {
        const cat = await call('appointments', 'catalogue', this.data.storeId ? { storeId: this.data.storeId } : {});
        const text = this.data.text;
        const services: ServiceItem[] = cat.services.map((s) => ({
          serviceId: s.serviceId,
          title: nameIn(s.name, this.data.lang),
          duration: fill(text.booking.minutes, { n: s.durationMinutes }),
          price: priceText(s.price, text),
        }));
        this.setData({ services, status: services.length ? 'ready' : 'empty' });
      } catch (err) {
        this.setData({ status: 'error', message: errorText(err) });
      }
    },
    choose(e: { currentTarget: { dataset: { id?: string } } }) {
      const id = e.currentTarget.dataset.id;
      if (!id) return;
      wx.navigateTo({ url: withQuery('bookingSlots', { service: id, store: this.data.storeId || undefined }) });
    },
  },
});
