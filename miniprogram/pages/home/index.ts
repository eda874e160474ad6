import { fill } from '../coupons/coupon-text';
import { t } from '../../i18n/index';
import { call } from '../../services/cloud';
import { currentMember, refreshSession, session, type MemberView } from '../../services/session';
import { baseData, brandTitle, followLanguage, showInLanguage } from '../../utils/page-base';
import { go } from '../../utils/routes';
import { errorText, stopPullDown, type Status } from '../../utils/view-state';
import { brand, type BannerLink } from '../../config/brand';
import { textIn } from '../../i18n/index';
import { ROUTES } from '../../config/routes';
import { NO_EXTRAS, loadExtras } from './extras';
import { groupCode } from '../../utils/group-code';
import { track } from '../../services/tracker';

interface CardFields {
  tier: string;
  points: string;
  cardNo: string;
}
type CodeStatus = 'hidden' | 'loading' | 'ready' | 'error';

const EMPTY_CARD: CardFields = { tier: '', points: '', cardNo: '' };

const LINKS: Record<BannerLink, string> = {
  claimCentre: ROUTES.claimCentre,
  mall: ROUTES.mall,
  booking: ROUTES.bookingServices,
  invite: ROUTES.referralInvite,
};
const bannersIn = (lang: 'zh' | 'en') =>
  brand.banners.map((b) => ({ id: b.id, title: textIn(b.title, lang), subtitle: textIn(b.subtitle, lang) }));
const benefitsIn = (lang: 'zh' | 'en') => brand.joinBenefits.map((b) => textIn(b, lang));

function cardOf(view: MemberView, missing: string, tiers: Record<string, string>): CardFields {
  const c = view.card;
  // a card number may arrive already grouped ('8800 0001 2026'): group the digits, not the spaces
  return c
    ? { tier: tiers[c.tier] ?? c.tier, points: String(c.points), cardNo: groupCode(c.cardNo.replace(/\s+/g, '')) }
    : { tier: missing, points: missing, cardNo: missing };
}

let refreshTimer: ReturnType<typeof setTimeout> | undefined;
function stopTimer(): void {
  if (refreshTimer !== undefined) clearTimeout(refreshTimer);
  refreshTimer = undefined;
}

/**
 * Home: the member card (tier, points, card number, and on request the rotating member code) for
 * card holders; a "claim your card" call to action for everyone else. The code is fetched only when
 * shown, so launch stays one cloud call, and it is re-fetched every `refreshInSeconds` while shown.
 */
Component({
  data: {
    ...baseData(),
    status: 'loading' as Status,
    message: '',
    welcome: '',
    cardHolder: false,
    card: EMPTY_CARD,
    codeStatus: 'hidden' as CodeStatus,
    code: '',
    shortCode: '',
    codeText: '',
    codeHint: '',
    banners: [] as { id: string; title: string; subtitle: string }[],
    benefits: [] as string[],
    extras: NO_EXTRAS,
  },
  methods: {
    onLoad() {
      showInLanguage(this, brandTitle);
      void this.show(session());
    },
    onShow() {
      track('page_view', { page: ROUTES.home.slice(1) });
      const welcomeIn = (base: { brandName: string }) => ({ welcome: t('home.welcome', { brand: base.brandName }) });
      const relabel = followLanguage(this, brandTitle, welcomeIn);
      // a card claimed or points spent on another page: the session already holds the new view
      const latest = currentMember();
      const claimedElsewhere = !!latest && (latest.state === 'member') !== this.data.cardHolder;
      if (latest && this.data.status === 'ready') this.render(latest, relabel || claimedElsewhere);
      if (this.data.codeStatus !== 'hidden') void this.loadCode();
    },
    onHide() {
      stopTimer();
    },
    onUnload() {
      stopTimer();
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
    openPoints() {
      go(ROUTES.points, this.data.text.common.soon);
    },
    /** The card at once; the parts around it (`extras`) read again when asked. */
    render(member: MemberView, withExtras = true) {
      const cardHolder = member.state === 'member';
      this.setData({
        status: 'ready',
        cardHolder,
        card: cardHolder ? cardOf(member, this.data.text.home.notYet, this.data.text.tier) : EMPTY_CARD,
        welcome: t('home.welcome', { brand: this.data.brandName }),
      });
      if (!cardHolder) this.hideCode();
      this.setData({ banners: bannersIn(this.data.lang), benefits: benefitsIn(this.data.lang) });
      if (!withExtras) return;
      void loadExtras(member, this.data.text, this.data.lang, Date.now()).then((extras) => this.setData({ extras }));
    },
    openBanner(e: { currentTarget: { dataset: { id?: string } } }) {
      const banner = brand.banners.find((b) => b.id === e.currentTarget.dataset.id);
      if (banner) go(LINKS[banner.link]);
    },
    openShortcut(e: { currentTarget: { dataset: { to?: string } } }) {
      const to = e.currentTarget.dataset.to;
      if (to === 'coupons') wx.switchTab({ url: ROUTES.coupons });
      else if (to === 'points') go(ROUTES.points);
      else if (to === 'booking') go(ROUTES.bookingServices);
      else if (to === 'invite') go(ROUTES.referralInvite);
    },
    /** A recommended product: its picture full screen, and a product view for the member's interests. */
    openProduct(e: { currentTarget: { dataset: { id?: string } } }) {
      const product = this.data.extras.recommended.find((p) => p.id === e.currentTarget.dataset.id);
      if (!product) return;
      track('product_view', { productId: product.id });
      wx.previewImage({ urls: [product.image], current: product.image, fail: () => undefined });
    },
    openBooking() {
      wx.switchTab({ url: ROUTES.appointments });
    },
    async show(view: Promise<MemberView>) {
      try {
        this.render(await view);
      } catch (err) {
        this.setData({ status: 'error', message: errorText(err) });
      }
    },
    toggleCode() {
      if (this.data.codeStatus === 'hidden') {
        this.setData({ codeStatus: 'loading' });
        void this.loadCode();
      } else this.hideCode();
    },
    hideCode() {
      stopTimer();
      this.setData({ codeStatus: 'hidden', code: '', shortCode: '', codeText: '' });
    },
    async loadCode() {
      stopTimer();
      try {
        const r = await call('member', 'memberCode', {});
        if (this.data.codeStatus === 'hidden') return; // hidden while the answer was on its way
        const codeHint = fill(this.data.text.card.codeHint, { n: r.refreshInSeconds });
        // the QR code carries the signed code, the bar code and the text its number form
        const codeText = groupCode(r.shortCode);
        this.setData({ codeStatus: 'ready', code: r.code, shortCode: r.shortCode, codeText, codeHint });
        refreshTimer = setTimeout(() => void this.loadCode(), r.refreshInSeconds * 1000);
      } catch (err) {
        if (this.data.codeStatus === 'hidden') return;
        this.setData({ codeStatus: 'error', codeHint: errorText(err) });
      }
    },
  },
});
