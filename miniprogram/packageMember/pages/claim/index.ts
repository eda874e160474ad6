import { ROUTES } from '../../../config/routes';
import { fill, localDay } from '../../../pages/coupons/coupon-text';
import type { Lang } from '../../../i18n/index';
import { call } from '../../../services/cloud';
import { refreshSession, session } from '../../../services/session';
import { cleanNickname, saveAvatar, saveNickname } from '../../../pages/me/profile-sync';
import { baseData, followLanguage, showInLanguage, type BaseData } from '../../../utils/page-base';
import { errorText, type Status } from '../../../utils/view-state';

/** The privacy policy text the form links to; bump it when the policy changes so consent is asked again. */
const PRIVACY_VERSION = '2026-01';
type Gender = 'female' | 'male' | 'undisclosed';
type Field = 'name' | 'birthday' | 'privacy';
type Detail<T> = { detail: T };
type Tap<K extends string> = { currentTarget: { dataset: Partial<Record<K, string>> } };

const title = (base: BaseData): string => base.text.claim.title;
const privacy = (base: BaseData) => ({ privacyText: fill(base.text.claim.privacy, { version: PRIVACY_VERSION }) });

/**
 * Claim the e-member card: name, birthday, optional gender, language, the required privacy
 * consent and an optional marketing opt-in; avatar and nickname through the platform's fill-in
 * components. After the card is issued the phone can be linked (optional: WeChat charges for it).
 */
Component({
  data: {
    ...baseData(),
    status: 'loading' as Status,
    message: '',
    privacyText: '',
    today: '',
    form: {
      name: '',
      birthday: '',
      gender: '' as Gender | '',
      language: 'zh' as Lang,
      privacy: false,
      marketing: false,
    },
    avatarUrl: '',
    nickname: '',
    errors: { name: '', birthday: '', privacy: '' } as Record<Field, string>,
    submitError: '',
    submitting: false,
    done: false,
    doneText: '',
    cardNoText: '',
    memberId: '',
    phoneText: '',
    binding: false,
  },
  methods: {
    onLoad() {
      showInLanguage(this, title, (base) => ({
        ...privacy(base),
        today: localDay(new Date().toISOString()),
        'form.language': base.lang,
      }));
      void this.load();
    },
    onShow() {
      followLanguage(this, title, privacy);
    },
    retry() {
      this.setData({ status: 'loading' });
      void this.load();
    },
    async load() {
      try {
        const member = await session();
        this.setData({ status: 'ready', memberId: member.memberId, nickname: member.profile?.nickname ?? '' });
        if (member.card) this.finish(member.card.cardNo, true);
      } catch (err) {
        this.setData({ status: 'error', message: errorText(err) });
      }
    },
    onName(e: Detail<{ value: string }>) {
      this.setData({ 'form.name': e.detail.value, 'errors.name': '' });
    },
    onBirthday(e: Detail<{ value: string }>) {
      this.setData({ 'form.birthday': e.detail.value, 'errors.birthday': '' });
    },
    pickGender(e: Tap<'gender'>) {
      const g = e.currentTarget.dataset.gender as Gender | undefined;
      if (g) this.setData({ 'form.gender': this.data.form.gender === g ? '' : g });
    },
    pickLanguage(e: Tap<'lang'>) {
      const l = e.currentTarget.dataset.lang;
      if (l === 'zh' || l === 'en') this.setData({ 'form.language': l });
    },
    togglePrivacy() {
      this.setData({ 'form.privacy': !this.data.form.privacy, 'errors.privacy': '' });
    },
    toggleMarketing() {
      this.setData({ 'form.marketing': !this.data.form.marketing });
    },
    onChooseAvatar(e: Detail<{ avatarUrl: string }>) {
      this.setData({ avatarUrl: e.detail.avatarUrl });
    },
    onNickname(e: Detail<{ value: string }>) {
      this.setData({ nickname: cleanNickname(e.detail.value) });
    },
    /** Field errors in the page's language; empty when the form can be sent. */
    check(): Record<Field, string> {
      const { form, text } = this.data;
      return {
        name: form.name.trim() ? '' : text.claim.nameRequired,
        birthday: form.birthday ? '' : text.claim.birthdayRequired,
        privacy: form.privacy ? '' : text.claim.privacyRequired,
      };
    },
    async submit() {
      if (this.data.submitting || this.data.done) return;
      const errors = this.check();
      this.setData({ errors, submitError: '' });
      if (errors.name || errors.birthday || errors.privacy) return;
      const f = this.data.form;
      this.setData({ submitting: true });
      try {
        const r = await call('member', 'claimCard', {
          name: f.name.trim().slice(0, 40),
          birthday: f.birthday,
          ...(f.gender ? { gender: f.gender } : {}),
          language: f.language,
          consents: { privacyVersion: PRIVACY_VERSION, marketingOptIn: f.marketing },
        });
        this.setData({ memberId: r.memberId });
        await this.saveFillIns(r.memberId);
        this.finish(r.card.cardNo, r.alreadyClaimed);
        wx.showToast({ title: this.data.doneText, icon: 'success' });
        await refreshSession().catch(() => undefined); // home and the tabs read the new card from the session
      } catch (err) {
        const submitError = errorText(err);
        this.setData({ submitError });
        wx.showToast({ title: submitError, icon: 'none' });
      } finally {
        this.setData({ submitting: false });
      }
    },
    /** Avatar and nickname are extras: the card stands even if saving them fails. */
    async saveFillIns(memberId: string) {
      const { avatarUrl, nickname } = this.data;
      if (nickname) await saveNickname(nickname).catch(() => undefined);
      if (avatarUrl) await saveAvatar(avatarUrl, memberId).catch(() => undefined);
    },
    finish(cardNo: string, already: boolean) {
      const text = this.data.text;
      this.setData({
        done: true,
        doneText: already ? text.claim.already : text.claim.done,
        cardNoText: fill(text.claim.cardNo, { no: cardNo }),
      });
    },
    async onPhone(e: Detail<{ code?: string; errMsg?: string }>) {
      const code = e.detail.code;
      if (!code) {
        wx.showToast({ title: this.data.text.claim.phoneDeclined, icon: 'none' });
        return;
      }
      this.setData({ binding: true });
      try {
        const r = await call('member', 'bindPhone', { code });
        this.setData({ phoneText: fill(this.data.text.claim.phoneBound, { phone: r.phoneMasked }) });
      } catch (err) {
        wx.showToast({ title: errorText(err), icon: 'none' });
      } finally {
        this.setData({ binding: false });
      }
    },
    toHome() {
      wx.switchTab({ url: ROUTES.home });
    },
  },
});
