import { t } from '../i18n/index';

/** Pages that later issues add; navigating before they exist shows a "coming soon" toast. */
export const ROUTES = {
  claim: '/pages/claim/index',
  staffHome: '/packageAdmin/pages/index/index',
} as const;

export function go(url: string, soonText: string = t('common.soon')): void {
  wx.navigateTo({ url, fail: () => wx.showToast({ title: soonText, icon: 'none' }) });
}
