import { call } from '../../../services/cloud';
import { session } from '../../../services/session';
import { baseData, followLanguage, showInLanguage, type BaseData } from '../../../utils/page-base';
import { errorText, stopPullDown, type Status } from '../../../utils/view-state';
import { offerRow, requestIdFor, settleRequestId, type OfferRow } from '../../utils';

/** Request keys outlive a page visit: leaving during a network failure and coming back still retries the same claim. */
const requestIds: Record<string, string> = {};

const title = (base: BaseData): string => base.text.offer.centreTitle;

/** The claim centre: coupons offered now, stock and per-person limits, one tap to claim. */
Component({
  data: { ...baseData(), status: 'loading' as Status, message: '', items: [] as OfferRow[], claiming: '' },
  methods: {
    onLoad() {
      showInLanguage(this, title);
      void this.load();
    },
    onShow() {
      followLanguage(this, title);
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
        await session();
        const r = await call('coupons', 'claimCentre', { channel: 'claimCentre' });
        const items = r.items.map((o) => offerRow(o, this.data.text, this.data.lang));
        this.setData({ items, status: items.length ? 'ready' : 'empty' });
      } catch (err) {
        this.setData({ status: 'error', message: errorText(err) });
      }
    },
    async claim(e: { currentTarget: { dataset: { id?: string } } }) {
      const offer = this.data.items.find((o) => o.templateId === e.currentTarget.dataset.id);
      if (!offer || this.data.claiming) return;
      if (!offer.claimable) {
        wx.showToast({ title: offer.blocked || this.data.text.common.soon, icon: 'none' });
        return;
      }
      this.setData({ claiming: offer.templateId });
      try {
        const r = await call('coupons', 'claim', { templateId: offer.templateId, requestId: requestIdFor(requestIds, offer.templateId, 'cl') });
        settleRequestId(requestIds, offer.templateId);
        wx.showToast({ title: this.data.text.offer.claimed, icon: 'success' });
        await this.load(); // stock and "claimed" counts change
        return r.coupon.couponId;
      } catch (err) {
        settleRequestId(requestIds, offer.templateId, err);
        wx.showToast({ title: errorText(err), icon: 'none' });
        return undefined;
      } finally {
        this.setData({ claiming: '' });
      }
    },
  },
});
