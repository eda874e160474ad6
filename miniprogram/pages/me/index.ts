import { getLang, setLang, type Lang } from '../../i18n/index';
import { isStaff, refreshSession, session, type MemberView } from '../../services/session';
import { baseData, brandTitle, followLanguage, showInLanguage } from '../../utils/page-base';
import { ROUTES, go } from '../../utils/routes';
import { MEMBER_PAGES } from '../member-routes';
import { cleanNickname, saveAvatar, saveNickname } from './profile-sync';
import { errorText, stopPullDown, type Status } from '../../utils/view-state';

/** Kept on the device as well as on the member (`updateProfile`), so the page shows them before login answers. */
const PROFILE_STORAGE_KEY = 'profile';
interface Profile {
  avatarUrl: string;
  nickname: string;
}

function savedProfile(): Profile {
  const p = wx.getStorageSync(PROFILE_STORAGE_KEY) as Partial<Profile> | '';
  return { avatarUrl: (p && p.avatarUrl) || '', nickname: (p && p.nickname) || '' };
}

/** Me: the person's avatar and nickname (fill-in), the language switch, and the staff entrance for staff. */
Component({
  data: { ...baseData(), status: 'loading' as Status, message: '', profile: { avatarUrl: '', nickname: '' } as Profile, memberState: '', memberId: '', cardHolder: false, staff: false },
  methods: {
    onLoad() {
      showInLanguage(this, brandTitle, () => ({ profile: savedProfile() }));
      void this.show(session());
    },
    onShow() {
      followLanguage(this, brandTitle);
    },
    onPullDownRefresh() {
      void this.show(refreshSession()).then(stopPullDown);
    },
    retry() {
      this.setData({ status: 'loading' });
      void this.show(refreshSession());
    },
    async show(view: Promise<MemberView>) {
      try {
        const [member, staff] = await Promise.all([view, isStaff()]);
        const p = member.profile;
        const profile = { avatarUrl: p?.avatarUrl || this.data.profile.avatarUrl, nickname: p?.nickname || this.data.profile.nickname };
        this.setData({ status: 'ready', staff, memberState: member.state, memberId: member.memberId, cardHolder: !!member.card, profile });
      } catch (err) {
        this.setData({ status: 'error', message: errorText(err) });
      }
    },
    onChooseAvatar(e: WechatMiniprogram.CustomEvent<{ avatarUrl: string }>) {
      const temp = e.detail.avatarUrl;
      this.saveProfile({ ...this.data.profile, avatarUrl: temp });
      if (this.data.memberId) void this.sync(saveAvatar(temp, this.data.memberId).then((avatarUrl) => this.saveProfile({ ...this.data.profile, avatarUrl })));
    },
    onNickname(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const nickname = cleanNickname(e.detail.value);
      if (nickname === this.data.profile.nickname) return;
      this.saveProfile({ ...this.data.profile, nickname });
      if (nickname && this.data.memberId) void this.sync(saveNickname(nickname));
    },
    async sync(saving: Promise<unknown>) {
      try {
        await saving;
      } catch (err) {
        wx.showToast({ title: errorText(err), icon: 'none' });
      }
    },
    open(e: { currentTarget: { dataset: { page?: keyof typeof MEMBER_PAGES } } }) {
      const page = e.currentTarget.dataset.page;
      if (page && page in MEMBER_PAGES) go(MEMBER_PAGES[page]);
    },
    saveProfile(profile: Profile) {
      wx.setStorageSync(PROFILE_STORAGE_KEY, profile);
      this.setData({ profile });
    },
    switchLang(e: WechatMiniprogram.CustomEvent<Record<string, never>, Record<string, never>, { lang: Lang }>) {
      const lang = e.currentTarget.dataset.lang;
      if (lang !== 'zh' && lang !== 'en') return;
      if (lang === getLang()) return;
      setLang(lang);
      showInLanguage(this, brandTitle);
    },
    openInvite() {
      go(ROUTES.referralInvite);
    },
    openStaff() {
      go(ROUTES.staffHome, this.data.text.me.staffSoon);
    },
  },
});
