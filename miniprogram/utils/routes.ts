import { t } from '../i18n/index';

/** Navigates to a path of the routes table (`config/routes.ts`); a page that fails to open shows a toast. */
export function go(url: string, failText: string = t('common.soon')): void {
  wx.navigateTo({ url, fail: () => wx.showToast({ title: failText, icon: 'none' }) });
}
