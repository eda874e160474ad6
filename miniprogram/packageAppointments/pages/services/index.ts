import { loadable } from '../../../behaviors/loadable';
import { call } from '../../../services/cloud';
import { baseData, followLanguage, showInLanguage, type BaseData } from '../../../utils/page-base';
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
  behaviors: [loadable],
  data: { ...baseData(), storeId: '', services: [] as ServiceItem[] },
  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      showInLanguage(this, title, () => ({ storeId: query.store ?? '' }));
      void this.load();
    },
    onShow() {
      if (followLanguage(this, title)) void this.load();
    },
    async fetch() {
      const cat = await call('appointments', 'catalogue', this.data.storeId ? { storeId: this.data.storeId } : {});
      const text = this.data.text;
      const services: ServiceItem[] = cat.services.map((s) => ({
        serviceId: s.serviceId,
        title: nameIn(s.name, this.data.lang),
        duration: fill(text.booking.minutes, { n: s.durationMinutes }),
        price: priceText(s.price, text),
      }));
      this.setData({ services });
      return services.length > 0;
    },
    choose(e: { currentTarget: { dataset: { id?: string } } }) {
      const id = e.currentTarget.dataset.id;
      if (!id) return;
      wx.navigateTo({ url: withQuery('bookingSlots', { service: id, store: this.data.storeId || undefined }) });
    },
  },
});
