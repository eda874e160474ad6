import { loadable } from '../../../behaviors/loadable';
import { call, type CallOutput } from '../../../services/cloud';
import { session } from '../../../services/session';
import { ROUTES } from '../../../config/routes';
import { baseData, followLanguage, showInLanguage, ownText } from '../../../utils/page-base';
import { go } from '../../../utils/routes';
import { fill, offerName, offerText, tokenFrom, type Landing } from '../../utils';
import { texts, type LandingText } from './text';

type Opened = CallOutput<'referral', 'open'>;
/** Refusals the friend is told about; others (not logged in, a server error) change nothing they can act on. */
const TOLD = ['self_referral', 'already_referred', 'not_new', 'daily_cap', 'total_cap'] as const;
type Told = (typeof TOLD)[number];
const told = (reason: string | null): reason is Told => (TOLD as readonly string[]).includes(reason ?? '');

const { title, pageText } = ownText(texts);

/**
 * What a friend sees when opening a share card (`?ref=<token>`) or a poster's code (`?scene=r=<code>`):
 * who invited them and the gift, with the call to claim the card. Opening records the invitation on
 * them (`referral.open`, after the launch login, which the server requires). An expired or tampered
 * token gets a friendly page; the app works as usual.
 */
Component({
  behaviors: [loadable],
  data: {
    ...baseData(),
    t: texts.zh as LandingText,
    token: '',
    landing: null as Landing | null,
    opened: null as Opened | null,
    cardHolder: false,
    // what the template shows, in the page's language
    valid: false,
    invitedBy: '',
    avatarUrl: '',
    eligible: true,
    gift: '',
    giftDetail: '',
    rewardOn: '',
    note: '',
    member: '',
  },
  methods: {
    onLoad(options: Record<string, string | undefined> = {}) {
      showInLanguage(this, title, (base) => ({ ...pageText(base), token: tokenFrom(options) }));
      void this.load();
    },
    onShow() {
      const changed = followLanguage(this, title, pageText);
      if (this.data.status !== 'ready') return;
      if (changed) this.render();
      // back from the claim form: the session (refreshed by the form) now holds the card
      session().then(
        (member) => this.setData({ cardHolder: !!member.card }),
        () => undefined,
      );
    },
    /** Without a token the page still shows (an invalid invitation and the way home). */
    async fetch() {
      const token = this.data.token;
      const member = await session();
      const [landing] = token ? await Promise.all([call('referral', 'landing', { token }), this.open(token)]) : [null];
      this.setData({ cardHolder: !!member.card, landing });
      this.render();
      return true;
    },
    /** Records the invitation once per page: a failure here never blocks the page (the next refresh tries again). */
    async open(token: string): Promise<Opened | null> {
      if (this.data.opened) return this.data.opened;
      try {
        const opened = await call('referral', 'open', { token });
        this.setData({ opened });
        return opened;
      } catch {
        return null;
      }
    },
    render() {
      const { t, landing, opened, brandName } = this.data;
      const name = landing?.referrer?.name || t.someone;
      const reason = opened?.reason ?? null;
      // a friend the gift is not for (not new, own share, already referred, caps) is told why instead of being promised it
      const eligible = !told(reason);
      this.setData({
        valid: !!landing?.valid,
        eligible,
        invitedBy: fill(t.invitedBy, { name, brand: brandName }),
        avatarUrl: landing?.referrer?.avatarUrl ?? '',
        gift: landing?.offer && eligible ? fill(t.gift, { offer: offerName(landing.offer, t) }) : '',
        giftDetail: offerText(landing?.offer ?? null, t),
        rewardOn: landing?.rewardOn === 'first_paid_order' ? t.rewardOnOrder : t.rewardOnJoin,
        note: opened?.recorded ? fill(t.recorded, { name }) : told(reason) ? fill(t[reason], { brand: brandName }) : '',
        member: fill(t.member, { brand: brandName }),
      });
    },
    claim() {
      go(ROUTES.claim);
    },
    toCoupons() {
      wx.switchTab({ url: ROUTES.coupons });
    },
    toHome() {
      wx.switchTab({ url: ROUTES.home });
    },
  },
});
