import { loadable } from '../../../behaviors/loadable';
import { call } from '../../../services/cloud';
import { session } from '../../../services/session';
import { baseData, followLanguage, showInLanguage, type BaseData } from '../../../utils/page-base';
import { errorText } from '../../../utils/view-state';
import { ask, fill, offerRow, requestIdFor, settleRequestId, type OfferRow } from '../../utils';

const requestIds: Record<string, string> = {};

const title = (base: BaseData): string => base.text.offer.mallTitle;

/** The points mall: coupons priced in points; exchanging spends the points and issues the coupon in one step. */
Component({
  behaviors: [loadable],
  data: { ...baseData(), items: [] as OfferRow[], spendable: 0, balanceText: '', exchanging: '' },
  methods: {
    onLoad() {
      showInLanguage(this, title);
      void this.load();
    },
    onShow() {
      followLanguage(this, title, (base) => ({
        balanceText: fill(base.text.offer.balance, { n: this.data.spendable }),
      }));
    },
    showBalance(spendable: number) {
      this.setData({ spendable, balanceText: fill(this.data.text.offer.balance, { n: spendable }) });
    },
    async fetch() {
      await session();
      const [offers, summary] = await Promise.all([
        call('coupons', 'claimCentre', { channel: 'pointsMall' }),
        call('points', 'summary', {}),
      ]);
      const priced = offers.items.filter((o) => o.pointsCost !== null);
      const items = priced.map((o) => offerRow(o, this.data.text, this.data.lang));
      this.showBalance(summary.spendable);
      this.setData({ items });
      return items.length > 0;
    },
    async exchange(e: { currentTarget: { dataset: { id?: string } } }) {
      const offer = this.data.items.find((o) => o.templateId === e.currentTarget.dataset.id);
      if (!offer || offer.cost === null || this.data.exchanging) return;
      if (!offer.claimable) {
        wx.showToast({ title: offer.blocked || this.data.text.common.soon, icon: 'none' });
        return;
      }
      if (!(await ask(fill(this.data.text.offer.exchangeAsk, { n: offer.cost, name: offer.name })))) return;
      this.setData({ exchanging: offer.templateId });
      try {
        const r = await call('coupons', 'exchange', {
          templateId: offer.templateId,
          requestId: requestIdFor(requestIds, offer.templateId, 'ex'),
        });
        settleRequestId(requestIds, offer.templateId);
        this.showBalance(r.balance);
        wx.showToast({ title: this.data.text.offer.exchanged, icon: 'success' });
        await this.load();
      } catch (err) {
        settleRequestId(requestIds, offer.templateId, err);
        wx.showToast({ title: errorText(err), icon: 'none' });
      } finally {
        this.setData({ exchanging: '' });
      }
    },
  },
});
