import { refreshSession, session, type MemberView } from '../../services/session';
import { baseData, languageChanged } from '../../utils/page-base';
import { errorText, stopPullDown, type Status } from '../../utils/view-state';

/** The bookings tab: entrances to booking a service and to my appointments (both in packageAppointments). */
Component({
  data: { ...baseData(), status: 'loading' as Status, message: '' },
  methods: {
    onLoad() {
      this.setData(baseData());
      void this.show(session());
    },
    onShow() {
      const fresh = languageChanged(this.data.lang);
      if (fresh) this.setData(fresh);
    },
    onPullDownRefresh() {
      void this.show(refreshSession()).then(stopPullDown);
    },
    book() {
      wx.navigateTo({ url: '/packageAppointments/pages/services/index' });
    },
    openMine() {
      wx.navigateTo({ url: '/packageAppointments/pages/mine/index' });
    },
    retry() {
      this.setData({ status: 'loading' });
      void this.show(refreshSession());
    },
    async show(view: Promise<MemberView>) {
      try {
        await view;
        this.setData({ status: 'empty' });
      } catch (err) {
        this.setData({ status: 'error', message: errorText(err) });
      }
    },
  },
});
