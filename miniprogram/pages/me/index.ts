import { getLang, setLang, type Lang } from '../../i18n/index';
import { currentMember, refreshSession, session, staffRole } from '../../services/session';
import type { MemberView, StaffRole } from '../../services/session';
import { fill } from '../coupons/coupon-text';
import { groupCode } from '../../utils/group-code';
import type { Dict } from '../../i18n/index';
import { baseData, brandTitle, followLanguage, showInLanguage } from '../../utils/page-base';
import { MEMBER_ROUTES, ROUTES } from '../../config/routes';
import { go } from '../../utils/routes';
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

interface Summary {
  tier: string;
  points: string;
  cardNo: string;
}
const NO_SUMMARY: Summary = { tier: '', points: '', cardNo: '' };

const tierName = (text: Dict, tier: string): string => text.tier[tier as keyof Dict['tier']] ?? tier;

/** Who this person is, in one line: a card holder's tier, else a staff member's role, else a visitor. */
function stateText(text: Dict, member: MemberView, role: StaffRole | null): string {
  if (member.card) return fill(text.me.tierState, { tier: tierName(text, member.card.tier) });
  if (role) return fill(text.me.staffState, { role: text.staffRole[role] });
  return text.me.visitor;
}

const summaryOf = (text: Dict, member: MemberView): Summary => {
  const c = member.card;
  if (!c) return NO_SUMMARY;
  return { tier: tierName(text, c.tier), points: String(c.points), cardNo: groupCode(c.cardNo.replace(/\s+/g, '')) };
};

/**
 * Me: avatar and nickname (fill-ins), who the person is (tier, staff role or visitor), a card
 * holder's card summary, the member entrances (the claim page only for someone who could claim:
 * not staff), the language switch and the staff entrance for staff.
 */
Component({
  data: {
    ...baseData(),
    status: 'loading' as Status,
    message: '',
    profile: { avatarUrl: '', nickname: '' } as Profile,
    memberState: '',
    stateText: '',
    summary: NO_SUMMARY,
    memberId: '',
    cardHolder: false,
    staff: false,
    staffRole: '' as StaffRole | '',
  },
  methods: {
    onLoad() {
      showInLanguage(this, brandTitle, () => ({ profile: savedProfile() }));
      void this.show(session());
    },
    onShow() {
      followLanguage(this, brandTitle);
      const latest = currentMember(); // a card claimed or points spent elsewhere
      if (latest && this.data.status === 'ready') this.render(latest, this.data.staffRole || null);
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
        const [member, role] = await Promise.all([view, staffRole()]);
        this.render(member, role);
      } catch (err) {
        this.setData({ status: 'error', message: errorText(err) });
      }
    },
    render(member: MemberView, role: StaffRole | null) {
      const p = member.profile;
      const saved = this.data.profile;
      const profile = { avatarUrl: p?.avatarUrl || saved.avatarUrl, nickname: p?.nickname || saved.nickname };
      const { text } = this.data;
      this.setData({
        status: 'ready',
        staff: role !== null,
        staffRole: role ?? '',
        memberState: member.state,
        stateText: stateText(text, member, role),
        summary: summaryOf(text, member),
        memberId: member.memberId,
        cardHolder: !!member.card,
        profile,
      });
    },
    onChooseAvatar(e: WechatMiniprogram.CustomEvent<{ avatarUrl: string }>) {
      const temp = e.detail.avatarUrl;
      this.saveProfile({ ...this.data.profile, avatarUrl: temp });
      if (this.data.memberId)
        void this.sync(
          saveAvatar(temp, this.data.memberId).then((avatarUrl) =>
            this.saveProfile({ ...this.data.profile, avatarUrl }),
          ),
        );
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
    open(e: { currentTarget: { dataset: { page?: keyof typeof MEMBER_ROUTES } } }) {
      const page = e.currentTarget.dataset.page;
      if (page && page in MEMBER_ROUTES) go(MEMBER_ROUTES[page]);
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
      const latest = currentMember();
      if (latest && this.data.status === 'ready') this.render(latest, this.data.staffRole || null);
    },
    openInvite() {
      go(ROUTES.referralInvite);
    },
    openStaff() {
      go(ROUTES.staffHome, this.data.text.me.staffSoon);
    },
  },
});
