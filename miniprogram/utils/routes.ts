import { t } from '../i18n/index';

/** Pages not built yet (the staff admin subpackage): navigating to one shows a "coming soon" toast. */
export const ROUTES = {
  staffHome: '/packageAdmin/pages/index/index',
} as const;

export function go(url: string, soonText: string = t('common.soon')): void {
  wx.navigateTo({ url, fail: () => wx.showToast({ title: soonText, icon: 'none' }) });
}
