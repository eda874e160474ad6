import { loadable } from '../../../behaviors/loadable';
import { call, type CallOutput } from '../../../services/cloud';
import { session } from '../../../services/session';
import { ROUTES } from '../../../config/routes';
import { setTrackingChoice } from '../../../services/tracker';
import { cleanNickname, saveAvatar, saveNickname } from '../../../pages/me/profile-sync';
import { baseData, type BaseData, loadedInLanguage } from '../../../utils/page-base';
import { errorText } from '../../../utils/view-state';
import { ask, fill, localDay } from '../../utils';

type Profile = CallOutput<'member', 'getProfile'>;
interface Shown {
  name: string;
  birthday: string;
  gender: string;
  language: string;
  phone: string;
  cardNo: string;
  privacy: string;
  marketing: string;
}

const title = (base: BaseData): string => base.text.profile.title;

/**
 * Profile and consents: what the member gave us, the consents with their time and version, avatar/nickname,
 * phone, withdrawal, personal picks (behaviour tracking) on or off.
 */
Component({
  behaviors: [loadable],
  data: {
    ...baseData(),
    memberId: '',
    isMember: false,
    nickname: '',
    avatarUrl: '',
    phoneBound: false,
    marketingOptIn: false,
    trackingOptIn: false,
    emailConfirmed: '',
    emailPendingLine: '',
    emailDraft: '',
    shown: null as Shown | null,
    busy: false,
  },
  methods: {
    ...loadedInLanguage(title),
    async fetch() {
      await session();
      this.render(await call('member', 'getProfile', {}));
      return true;
    },
    render(p: Profile) {
      const { text } = this.data;
      const none = text.profile.none;
      const c = p.consents;
      this.setData({
        status: 'ready',
        memberId: p.memberId,
        isMember: p.state === 'member',
        nickname: p.nickname ?? '',
        avatarUrl: p.avatarUrl ?? '',
        phoneBound: !!p.phoneMasked,
        marketingOptIn: c.marketingOptIn,
        trackingOptIn: c.trackingOptIn === true,
        emailConfirmed: p.email?.confirmed ?? '',
        emailPendingLine: p.email?.pending ? fill(text.profile.emailPending, { email: p.email.pending }) : '',
        shown: {
          name: p.name ?? none,
          birthday: p.birthday ?? none,
          gender: p.gender ? text.claim[p.gender] : none,
          language: text.lang[p.language],
          phone: p.phoneMasked ?? none,
          cardNo: p.cardNo ?? none,
          privacy:
            c.privacyVersion && c.privacyAcceptedAt
              ? fill(text.profile.privacyAccepted, { version: c.privacyVersion, date: localDay(c.privacyAcceptedAt) })
              : text.profile.privacyNone,
          marketing: c.marketingOptIn
            ? fill(text.profile.marketingOn, { date: c.marketingChangedAt ? localDay(c.marketingChangedAt) : '' })
            : text.profile.marketingOff,
        },
      });
    },
    async save(saving: () => Promise<unknown>) {
      try {
        await saving();
        wx.showToast({ title: this.data.text.profile.saved, icon: 'success' });
      } catch (err) {
        wx.showToast({ title: errorText(err), icon: 'none' });
      }
    },
    async onChooseAvatar(e: { detail: { avatarUrl: string } }) {
      const temp = e.detail.avatarUrl;
      if (!temp) return;
      await this.save(async () => this.setData({ avatarUrl: await saveAvatar(temp, this.data.memberId) }));
    },
    async onNickname(e: { detail: { value: string } }) {
      const nickname = cleanNickname(e.detail.value);
      if (!nickname || nickname === this.data.nickname) return;
      await this.save(async () => this.setData({ nickname: (await saveNickname(nickname)) ?? nickname }));
    },
    async onPhone(e: { detail: { code?: string } }) {
      const code = e.detail.code;
      if (!code) {
        wx.showToast({ title: this.data.text.claim.phoneDeclined, icon: 'none' });
        return;
      }
      await this.save(async () => {
        const r = await call('member', 'bindPhone', { code });
        this.setData({ phoneBound: true, 'shown.phone': r.phoneMasked });
      });
    },
    async withdraw() {
      if (this.data.busy || !this.data.marketingOptIn) return;
      if (!(await ask(this.data.text.profile.withdrawAsk))) return;
      this.setData({ busy: true });
      try {
        await call('member', 'withdrawMarketing', {});
        this.setData({ marketingOptIn: false, 'shown.marketing': this.data.text.profile.marketingOff });
        wx.showToast({ title: this.data.text.profile.withdrawn, icon: 'success' });
      } catch (err) {
        wx.showToast({ title: errorText(err), icon: 'none' });
      } finally {
        this.setData({ busy: false });
      }
    },
    /** Personal picks on or off; off erases the behaviour collected (asked first), and the tracker stops at once. */
    async toggleTracking() {
      if (this.data.busy) return;
      const optIn = !this.data.trackingOptIn;
      if (!optIn && !(await ask(this.data.text.profile.trackingDisableAsk))) return;
      this.setData({ busy: true });
      try {
        await call('member', 'setTrackingConsent', { optIn });
        setTrackingChoice(optIn);
        this.setData({ trackingOptIn: optIn });
        wx.showToast({ title: this.data.text.profile.saved, icon: 'success' });
      } catch (err) {
        wx.showToast({ title: errorText(err), icon: 'none' });
      } finally {
        this.setData({ busy: false });
      }
    },
    onEmailInput(e: { detail: { value: string } }) {
      this.setData({ emailDraft: e.detail.value.trim() });
    },
    /** Double opt-in: the address waits until the member opens the link of the mail sent now. */
    async sendEmail() {
      const email = this.data.emailDraft;
      if (this.data.busy || !email) return;
      this.setData({ busy: true });
      try {
        const r = await call('member', 'setEmail', { email });
        const emailPendingLine = fill(this.data.text.profile.emailPending, { email: r.pending });
        this.setData({ emailDraft: '', emailPendingLine });
        wx.showToast({ title: this.data.text.profile.emailSent, icon: 'success' });
      } catch (err) {
        wx.showToast({ title: errorText(err), icon: 'none' });
      } finally {
        this.setData({ busy: false });
      }
    },
    openData() {
      wx.navigateTo({ url: ROUTES.myData });
    },
  },
});
