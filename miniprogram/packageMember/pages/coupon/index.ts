import { call } from '../../../services/cloud';
import { session } from '../../../services/session';
import { benefitText, lastValidDay, localDay, minSpendText, statusText, textIn, type CouponStatus } from '../../../pages/coupons/coupon-text';
import { baseData, followLanguage, showInLanguage, type BaseData } from '../../../utils/page-base';
import { errorText, stopPullDown, type Status } from '../../../utils/view-state';
import { fill } from '../../utils';

interface Shown {
  name: string;
  benefit: string;
  minSpend: string;
  validity: string;
  stores: string;
  status: CouponStatus;
  statusText: string;
  codeDisplay: string;
}

const title = (base: BaseData): string => base.text.coupon.title;

/** One coupon with its code (QR code, Code 128 and text) for the staff to scan or type; used/expired codes are shown struck through. */
Component({
  data: { ...baseData(), status: 'loading' as Status, message: '', couponId: '', coupon: null as Shown | null, scanValue: '' },
  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      showInLanguage(this, title, () => ({ couponId: query.id ?? '' }));
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
      if (!this.data.couponId) {
        this.setData({ status: 'empty' });
        return;
      }
      try {
        await session();
        const c = await call('coupons', 'detail', { couponId: this.data.couponId });
        const { text, lang } = this.data;
        this.setData({
          status: 'ready',
          coupon: {
            name: textIn(c.name, lang),
            benefit: benefitText(c.benefit, text, lang),
            minSpend: minSpendText(c.minSpendFen, text),
            validity: fill(text.coupon.validity, { from: localDay(c.validFrom), to: lastValidDay(c.validUntil) }),
            stores: c.storeIds ? text.coupon.stores : text.coupon.allStores,
            status: c.status,
            statusText: statusText(c.status, text),
            codeDisplay: c.codeDisplay || c.code,
          },
          scanValue: c.status === 'available' ? c.code : '',
        });
      } catch (err) {
        this.setData({ status: 'error', message: errorText(err) });
      }
    },
  },
});
