import { loadable } from '../../behaviors/loadable';
import { refreshSession, session } from '../../services/session';
import { call } from '../../services/cloud';
import { ROUTES, couponPage } from '../../config/routes';
import { baseData, brandTitle, followLanguage, showInLanguage } from '../../utils/page-base';
import { go } from '../../utils/routes';
import { couponRow, type CouponRow, type CouponStatus } from './coupon-text';

const EMPTY_KEYS = { available: 'emptyAvailable', used: 'emptyUsed', expired: 'emptyExpired' } as const;

/** The coupon wallet: available / used / expired tabs, each coupon opening its code; entrances to the claim centre and points mall. */
Component({
  behaviors: [loadable],
  data: { ...baseData(), tab: 'available' as CouponStatus, items: [] as CouponRow[], emptyText: '' },
  methods: {
    onLoad() {
      showInLanguage(this, brandTitle, (base) => ({ emptyText: base.text.wallet.emptyAvailable }));
      void this.load();
    },
    onShow() {
      followLanguage(this, brandTitle, (base) => ({ emptyText: base.text.wallet[EMPTY_KEYS[this.data.tab]] }));
      // back from the claim centre or a coupon: the wallet may have changed
      if (this.data.status === 'ready' || this.data.status === 'empty') void this.load();
    },
    async fetch(refresh: boolean) {
      const tab = this.data.tab;
      await (refresh ? refreshSession() : session());
      const r = await call('coupons', 'list', { status: tab });
      if (tab !== this.data.tab) return undefined; // another tab was chosen meanwhile
      const items = r.items.map((c) => couponRow(c, this.data.text, this.data.lang));
      this.setData({ items });
      return items.length > 0;
    },
    switchTab(e: { currentTarget: { dataset: { tab?: string } } }) {
      const tab = e.currentTarget.dataset.tab;
      if ((tab !== 'available' && tab !== 'used' && tab !== 'expired') || tab === this.data.tab) return;
      this.setData({ tab, status: 'loading', items: [], emptyText: this.data.text.wallet[EMPTY_KEYS[tab]] });
      void this.load();
    },
    openCoupon(e: { currentTarget: { dataset: { id?: string } } }) {
      const id = e.currentTarget.dataset.id;
      if (id) go(couponPage(id));
    },
    openCentre() {
      go(ROUTES.claimCentre);
    },
    openMall() {
      go(ROUTES.mall);
    },
  },
});
