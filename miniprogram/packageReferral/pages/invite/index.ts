import { call, type CallOutput } from '../../../services/cloud';
import { track } from '../../../services/tracker';
import { session } from '../../../services/session';
import { ROUTES, landingPath } from '../../../config/routes';
import { localDay } from '../../../pages/coupons/coupon-text';
import { baseData, followLanguage, showInLanguage, ownText } from '../../../utils/page-base';
import { go } from '../../../utils/routes';
import { loadable } from '../../../behaviors/loadable';
import { errorText } from '../../../utils/view-state';
import { fill, offerName, offerText, type Landing } from '../../utils';
import { texts, type InviteText } from './text';
import { unseen } from '../../../utils/paging';

type Friend = CallOutput<'referral', 'mine'>['friends'][number];
type Rewards = CallOutput<'referral', 'mine'>['rewards'];
type PosterStatus = 'idle' | 'loading' | 'ready' | 'error';

interface FriendRow {
  key: string;
  name: string;
  status: Friend['status'];
  statusText: string;
  when: string;
  reward: Friend['reward'];
  rewardText: string;
}

const POSTER_FILE = 'referral-poster.png';

const { title, pageText } = ownText(texts);

/**
 * Invite friends: the offer on both sides, a share card carrying the member's signed
 * token, a poster with a Mini Program code for Moments, and the friends invited with their status
 * and the rewards earned or pending. Card holders only: others are asked to claim the card first.
 */
Component({
  behaviors: [loadable],
  data: {
    ...baseData(),
    t: texts.zh as InviteText,
    needCard: false,
    token: '',
    expiresOn: '',
    landing: null as Landing | null,
    rewards: { earned: 0, pending: 0, cancelled: 0 } as Rewards,
    all: [] as Friend[],
    page: 0,
    // what the template shows, in the page's language
    youGet: '',
    friendGets: '',
    posterGift: '',
    posterInvite: '',
    rewardOn: '',
    expires: '',
    summary: '',
    rows: [] as FriendRow[],
    posterStatus: 'idle' as PosterStatus,
    posterSrc: '',
    posterError: '',
  },
  methods: {
    onLoad() {
      showInLanguage(this, title, pageText);
      void this.load();
    },
    onShow() {
      if (!followLanguage(this, title, pageText)) return;
      if (this.data.status === 'ready' && !this.data.needCard) this.render();
    },
    /** The share token and the first friends; someone without a card is asked to claim it first. */
    async fetch() {
      const member = await session();
      if (!member.card) {
        this.setData({ needCard: true });
        return true;
      }
      const [share, mine] = await Promise.all([
        call('referral', 'shareToken', {}),
        call('referral', 'mine', { page: 0 }),
      ]);
      const landing = await call('referral', 'landing', { token: share.token });
      this.setData({
        needCard: false,
        token: share.token,
        expiresOn: share.expiresOn,
        landing,
        rewards: mine.rewards,
        all: mine.friends,
        page: mine.page,
        hasMore: mine.hasMore,
      });
      this.render();
      return true;
    },
    /** Fills the template's words from what the server said, with every friend loaded so far. */
    render() {
      const { t, landing, rewards, all, expiresOn } = this.data;
      const rewardOn = landing?.rewardOn ?? 'join';
      this.setData({
        youGet: fill(t.youGet, { offer: offerText(landing?.referrerOffer ?? null, t) }),
        friendGets: fill(t.friendGets, { offer: offerText(landing?.offer ?? null, t) }),
        posterInvite: fill(t.posterInvite, { brand: this.data.brandName }),
        posterGift: fill(t.posterGift, { offer: offerName(landing?.offer ?? null, t) }),
        rewardOn: rewardOn === 'join' ? t.rewardOnJoin : t.rewardOnOrder,
        expires: expiresOn ? fill(t.expires, { date: expiresOn }) : '',
        summary: [
          fill(t.summary, rewards),
          rewards.cancelled > 0 ? fill(t.summaryCancelled, { n: rewards.cancelled }) : '',
        ]
          .filter(Boolean)
          .join(' · '),
        rows: all.map((f, i) => this.row(f, i, rewardOn)),
      });
    },
    row(f: Friend, i: number, rewardOn: Landing['rewardOn']): FriendRow {
      const t = this.data.t;
      const rewardText =
        f.reward === 'granted'
          ? t.rewardGranted
          : f.reward === 'cancelled'
            ? t.rewardCancelled
            : f.reward === 'held'
              ? f.rewardReleaseAt
                ? fill(t.rewardHeld, { date: localDay(f.rewardReleaseAt) })
                : t.rewardHeldSoon
              : rewardOn === 'join'
                ? t.rewardNoneJoin
                : t.rewardNoneOrder;
      return {
        key: `${i}-${f.openedAt}`,
        name: f.name,
        status: f.status,
        statusText: t[f.status],
        when: fill(t.openedOn, { date: localDay(f.openedAt) }),
        reward: f.reward,
        rewardText,
      };
    },
    /** The next 20 friends from the server; a friend already listed (the list moved meanwhile) is not repeated. */
    async fetchMore() {
      const next = await call('referral', 'mine', { page: this.data.page + 1 });
      const added = unseen(this.data.all, next.friends, (f) => `${f.openedAt}|${f.name}`);
      this.setData({
        all: [...this.data.all, ...added],
        page: next.page,
        hasMore: next.hasMore,
        rewards: next.rewards,
      });
      this.render();
    },
    /** The share card: the landing page with the token (the button has `open-type="share"`, the menu too), tracked. */
    onShareAppMessage() {
      const { t, landing, token, brandName } = this.data;
      track('share', { page: ROUTES.referralInvite.slice(1) });
      return {
        title: fill(t.shareTitle, { offer: offerName(landing?.offer ?? null, t), brand: brandName }),
        path: token ? landingPath(token) : ROUTES.home,
      };
    },
    /** The poster's code costs a WeChat API call: made only when asked for. */
    async makePoster() {
      if (this.data.posterStatus === 'loading') return;
      this.setData({ posterStatus: 'loading', posterError: '' });
      try {
        const share = await call('referral', 'shareToken', { poster: true });
        if (!share.poster) throw new Error('no poster');
        const posterSrc = await posterFile(share.poster.imageBase64, share.poster.contentType);
        this.setData({ posterStatus: 'ready', posterSrc, token: share.token });
      } catch (err) {
        this.setData({
          posterStatus: 'error',
          posterError: fill(this.data.t.posterFailed, { message: errorText(err) }),
        });
      }
    },
    savePoster() {
      const { posterSrc, t } = this.data;
      if (!posterSrc.startsWith('data:') && typeof wx.saveImageToPhotosAlbum === 'function') {
        wx.saveImageToPhotosAlbum({
          filePath: posterSrc,
          success: () => wx.showToast({ title: t.posterSaved, icon: 'success' }),
          fail: () => wx.showToast({ title: t.posterSaveFailed, icon: 'none' }),
        });
      } else wx.showToast({ title: t.posterLongPress, icon: 'none' });
    },
    claim() {
      go(ROUTES.claim);
    },
  },
});

/** The code as a local file (long-press and saving need one); a data URL where there is no file system. */
function posterFile(base64: string, contentType: string): Promise<string> {
  const dataUrl = `data:${contentType};base64,${base64}`;
  const dir = (wx as { env?: { USER_DATA_PATH?: string } }).env?.USER_DATA_PATH;
  if (typeof wx.getFileSystemManager !== 'function' || !dir) return Promise.resolve(dataUrl);
  const filePath = `${dir}/${POSTER_FILE}`;
  return new Promise((resolve) => {
    wx.getFileSystemManager().writeFile({
      filePath,
      data: base64,
      encoding: 'base64',
      success: () => resolve(filePath),
      fail: () => resolve(dataUrl),
    });
  });
}
