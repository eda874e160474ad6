import { refreshSession, session, type MemberView } from '../../services/session';
import { call } from '../../services/cloud';
import { ROUTES, couponPage } from '../../config/routes';
import { baseData, brandTitle, followLanguage, showInLanguage } from '../../utils/page-base';
import { go } from '../../utils/routes';
import { errorText, stopPullDown, type Status } from '../../utils/view-state';
import { couponRow, type CouponRow, type CouponStatus } from './coupon-text';

const EMPTY_KEYS = { available: 'emptyAvailable', used: 'emptyUsed', expired: 'emptyExpired' } as const;

/** The coupon wallet: available / used / expired tabs, each coupon opening its code; entrances to the claim centre and points mall. */
Component({
  data: { ...baseData(), status: 'loading' as Status, message: '', tab: 'available' as CouponStatus, items: [] as CouponRow[], emptyText: '' },
  methods: {
    onLoad() {
      showInLanguage(this, brandTitle, (base) => ({ emptyText: base.text.wallet.emptyAvailable }));
      void this.load(session());
    },
    onShow() {
      followLanguage(this, brandTitle, (base) => ({ emptyText: base.text.wallet[EMPTY_KEYS[this.data.tab]] }));
      // back from the claim centre or a coupon: the wallet may have changed
      if (this.data.status === 'ready' || this.data.status === 'empty') void this.load(session());
    },
    onPullDownRefresh() {
      void this.load(refreshSession()).then(stopPullDown);
    },
    retry() {
      this.setData({ status: 'loading' });
      void this.load(refreshSession());
    },
    async load(view: Promise<MemberView>) {
      const tab = this.data.tab;
      try {
        await view;
        const r = await call('coupons', 'list', { status: tab });
        if (tab !== this.data.tab) return; // another tab was chosen meanwhile
        const items = r.items.map((c) => couponRow(c, this.data.text, this.data.lang));
        this.setData({ items, status: items.length ? 'ready' : 'empty' });
      } catch (err) {
        if (tab === this.data.tab) this.setData({ status: 'error', message: errorText(err) });
      }
    },
    switchTab(e: { currentTarget: { dataset: { tab?: string } } }) {
      const tab = e.currentTarget.dataset.tab;
      if ((tab !== 'available' && tab !== 'used' && tab !== 'expired') || tab === this.data.tab) return;
      this.setData({ tab, status: 'loading', items: [], emptyText: this.data.text.wallet[EMPTY_KEYS[tab]] });
      void this.load(session());
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
