import { loadable } from '../../../behaviors/loadable';
import { call } from '../../../services/cloud';
import { session } from '../../../services/session';
import { baseData, type BaseData, loadedInLanguage } from '../../../utils/page-base';
import { errorText } from '../../../utils/view-state';
import { offerRow, requestIdFor, settleRequestId, type OfferRow } from '../../utils';

/** Request keys outlive a page visit: leaving during a network failure and coming back still retries the same claim. */
const requestIds: Record<string, string> = {};

const title = (base: BaseData): string => base.text.offer.centreTitle;

/** The claim centre: coupons offered now, stock and per-person limits, one tap to claim. */
Component({
  behaviors: [loadable],
  data: { ...baseData(), items: [] as OfferRow[], claiming: '' },
  methods: {
    ...loadedInLanguage(title),
    async fetch() {
      await session();
      const r = await call('coupons', 'claimCentre', { channel: 'claimCentre' });
      const items = r.items.map((o) => offerRow(o, this.data.text, this.data.lang));
      this.setData({ items });
      return items.length > 0;
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
        const r = await call('coupons', 'claim', {
          templateId: offer.templateId,
          requestId: requestIdFor(requestIds, offer.templateId, 'cl'),
        });
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
