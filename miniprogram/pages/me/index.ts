import { getLang, setLang, type Lang } from '../../i18n/index';
import { isStaff, refreshSession, session, type MemberView } from '../../services/session';
import { baseData, languageChanged } from '../../utils/page-base';
import { ROUTES, go } from '../../utils/routes';
import { errorText, stopPullDown, type Status } from '../../utils/view-state';

/** Kept on the device until the profile action exists; WeChat no longer hands these out (getUserProfile is gone). */
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
  data: { ...baseData(), status: 'loading' as Status, message: '', profile: { avatarUrl: '', nickname: '' } as Profile, memberState: '', staff: false },
  methods: {
    onLoad() {
      this.setData({ ...baseData(), profile: savedProfile() });
      void this.show(session());
    },
    onShow() {
      const fresh = languageChanged(this.data.lang);
      if (fresh) this.setData(fresh);
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
        const member = await view;
        this.setData({ status: 'ready', staff: isStaff(member), memberState: member.state });
      } catch (err) {
        this.setData({ status: 'error', message: errorText(err) });
      }
    },
    onChooseAvatar(e: WechatMiniprogram.CustomEvent<{ avatarUrl: string }>) {
      this.saveProfile({ ...this.data.profile, avatarUrl: e.detail.avatarUrl });
    },
    onNickname(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const nickname = (e.detail.value ?? '').trim().slice(0, 32);
      if (nickname !== this.data.profile.nickname) this.saveProfile({ ...this.data.profile, nickname });
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
      this.setData(baseData());
    },
    openStaff() {
      go(ROUTES.staffHome, this.data.text.me.staffSoon);
    },
  },
});
