import { t } from '../../i18n/index';
import { refreshSession, session, type MemberView } from '../../services/session';
import { cardFields, isCardHolder, type CardFields } from '../../utils/member-card';
import { baseData, languageChanged } from '../../utils/page-base';
import { ROUTES, go } from '../../utils/routes';
import { errorText, stopPullDown, type Status } from '../../utils/view-state';

const EMPTY_CARD: CardFields = { tier: '', points: '', cardNo: '' };

/** Home: the member card for card holders, a "claim your card" call to action for everyone else. */
Component({
  data: { ...baseData(), status: 'loading' as Status, message: '', welcome: '', cardHolder: false, card: EMPTY_CARD },
  methods: {
    onLoad() {
      this.setData(baseData());
      void this.show(session());
    },
    onShow() {
      const fresh = languageChanged(this.data.lang);
      if (fresh) this.setData({ ...fresh, welcome: t('home.welcome', { brand: fresh.brandName }) });
    },
    onPullDownRefresh() {
      void this.show(refreshSession()).then(stopPullDown);
    },
    retry() {
      this.setData({ status: 'loading' });
      void this.show(refreshSession());
    },
    claim() {
      go(ROUTES.claim, this.data.text.common.soon);
    },
    async show(view: Promise<MemberView>) {
      try {
        const member = await view;
        const cardHolder = isCardHolder(member);
        this.setData({
          status: 'ready',
          cardHolder,
          card: cardHolder ? cardFields(member, this.data.text.home.notYet) : EMPTY_CARD,
          welcome: t('home.welcome', { brand: this.data.brandName }),
        });
      } catch (err) {
        this.setData({ status: 'error', message: errorText(err) });
      }
    },
  },
});
