import { loadable } from '../../../behaviors/loadable';
import { call } from '../../../services/cloud';
import { session } from '../../../services/session';
import {
  benefitText,
  lastValidDay,
  localDay,
  minSpendText,
  statusText,
  textIn,
  type CouponStatus,
} from '../../../pages/coupons/coupon-text';
import { baseData, followLanguage, showInLanguage, type BaseData } from '../../../utils/page-base';
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
  behaviors: [loadable],
  data: { ...baseData(), couponId: '', coupon: null as Shown | null, scanValue: '' },
  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      showInLanguage(this, title, () => ({ couponId: query.id ?? '' }));
      void this.load();
    },
    onShow() {
      followLanguage(this, title);
    },
    async fetch() {
      if (!this.data.couponId) return false;
      await session();
      const c = await call('coupons', 'detail', { couponId: this.data.couponId });
      const { text, lang } = this.data;
      this.setData({
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
      return true;
    },
  },
});
