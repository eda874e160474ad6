import { t } from '../i18n/index';

/** Pages in subpackages, by name: the one place their paths are spelled. */
export const ROUTES = {
  staffHome: '/packageAdmin/pages/index/index',
  adminScan: '/packageAdmin/pages/scan/index',
  adminMember: '/packageAdmin/pages/member/index',
  adminAudit: '/packageAdmin/pages/audit/index',
  adminDashboard: '/packageAdmin/pages/dashboard/index',
  adminCouponTemplates: '/packageAdmin/pages/coupon-templates/index',
  adminSchedule: '/packageAdmin/pages/schedule/index',
  adminQrCodes: '/packageAdmin/pages/qrcodes/index',
  adminSegments: '/packageAdmin/pages/segments/index',
  adminJourneys: '/packageAdmin/pages/journeys/index',
  adminJourneyEdit: '/packageAdmin/pages/journey-edit/index',
  referralInvite: '/packageReferral/pages/invite/index',
  referralLanding: '/packageReferral/pages/landing/index',
  bookingServices: '/packageAppointments/pages/services/index',
} as const;

/** Navigates; a page that fails to open (e.g. a subpackage not downloaded offline) shows a toast. */
export function go(url: string, failText: string = t('common.soon')): void {
  wx.navigateTo({ url, fail: () => wx.showToast({ title: failText, icon: 'none' }) });
}
