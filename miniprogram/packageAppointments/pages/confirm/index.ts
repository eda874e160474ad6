import { call } from '../../../services/cloud';
import { session } from '../../../services/session';
import { baseData, followLanguage, showInLanguage, type BaseData } from '../../../utils/page-base';
import { loadable } from '../../../behaviors/loadable';
import { errorText } from '../../../utils/view-state';
import { ROUTES } from '../../../config/routes';
import { askSubscription, fill, nameIn, newRequestId, priceText } from '../../utils';

const title = (base: BaseData): string => base.text.booking.confirmTitle;

/**
 * Booking confirmation: what, where, when and the cancellation rule. The tap first asks for the
 * reminder subscription (WeChat only allows it inside a tap), then books, then records the answer.
 */
Component({
  behaviors: [loadable],
  data: {
    ...baseData(),
    serviceId: '',
    storeId: '',
    start: '',
    when: '',
    serviceName: '',
    storeName: '',
    price: '',
    rule: '',
    templateId: '',
    requestId: '',
    submitting: false,
    done: false,
    resultText: '',
    error: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      showInLanguage(this, title, () => ({
        serviceId: query.service ?? '',
        storeId: query.store ?? '',
        start: query.start ?? '',
        when: `${query.date ?? ''} ${query.time ?? ''}`.trim(),
        requestId: newRequestId(),
      }));
      void this.load();
    },
    onShow() {
      followLanguage(this, title);
    },
    /** The service and store the link names; nothing to confirm when either is gone. */
    async fetch() {
      const cat = await call('appointments', 'catalogue', { storeId: this.data.storeId });
      const service = cat.services.find((s) => s.serviceId === this.data.serviceId);
      const store = cat.stores.find((s) => s.storeId === this.data.storeId);
      if (!service || !store || !this.data.start) return false;
      const text = this.data.text;
      this.setData({
        serviceName: nameIn(service.name, this.data.lang),
        storeName: nameIn(store.name, this.data.lang),
        price: priceText(service.price, text),
        rule: fill(text.booking.cancelRule, { h: service.cancellationCutoffHours }),
        templateId: cat.reminderTemplateId ?? '',
      });
      return true;
    },
    async submit() {
      if (this.data.submitting || this.data.done) return;
      this.setData({ submitting: true, error: '' });
      const templateId = this.data.templateId;
      const consent = templateId ? await askSubscription(templateId) : null;
      try {
        await session();
        const booked = await call('appointments', 'book', {
          storeId: this.data.storeId,
          serviceId: this.data.serviceId,
          start: this.data.start,
          requestId: this.data.requestId,
        });
        if (consent) {
          // the booking stands even if recording the answer fails; reminders then go by the default
          await call('appointments', 'recordConsent', {
            appointmentId: booked.appointment.appointmentId,
            templateId,
            result: consent,
          }).catch(() => undefined);
        }
        const resultText =
          booked.appointment.status === 'confirmed'
            ? this.data.text.booking.booked
            : this.data.text.booking.waitConfirm;
        this.setData({ done: true, resultText });
        wx.showToast({ title: resultText, icon: 'success' });
      } catch (err) {
        const error = errorText(err);
        this.setData({ error });
        wx.showToast({ title: error, icon: 'none' });
      } finally {
        this.setData({ submitting: false });
      }
    },
    openMine() {
      wx.redirectTo({ url: ROUTES.bookingMine });
    },
  },
});
