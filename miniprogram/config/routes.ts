/**
 * Every page of the Mini Program by name: the one place their paths are spelled. Navigation, share paths and
 * banner links use these names; `test/component/routes.test.ts` checks the table against `app.json`.
 */
export const TAB_ROUTES = {
  home: '/pages/home/index',
  coupons: '/pages/coupons/index',
  appointments: '/pages/appointments/index',
  me: '/pages/me/index',
} as const;

export const MEMBER_ROUTES = {
  claim: '/packageMember/pages/claim/index',
  points: '/packageMember/pages/points/index',
  profile: '/packageMember/pages/profile/index',
  myData: '/packageMember/pages/my-data/index',
  claimCentre: '/packageMember/pages/claim-centre/index',
  mall: '/packageMember/pages/mall/index',
  coupon: '/packageMember/pages/coupon/index',
  survey: '/packageMember/pages/survey/index',
  orders: '/packageMember/pages/orders/index',
  order: '/packageMember/pages/order/index',
} as const;

export const ROUTES = {
  ...TAB_ROUTES,
  ...MEMBER_ROUTES,
  bookingServices: '/packageAppointments/pages/services/index',
  bookingSlots: '/packageAppointments/pages/slots/index',
  bookingConfirm: '/packageAppointments/pages/confirm/index',
  bookingMine: '/packageAppointments/pages/mine/index',
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
  adminTags: '/packageAdmin/pages/tags/index',
  adminInsight: '/packageAdmin/pages/insight/index',
  adminRepair: '/packageAdmin/pages/repair/index',
  referralInvite: '/packageReferral/pages/invite/index',
  referralLanding: '/packageReferral/pages/landing/index',
} as const;

export type RouteName = keyof typeof ROUTES;

/** A route with its query; empty values are left out. */
export function withQuery(name: RouteName, query: Record<string, string | undefined>): string {
  const pairs = Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  if (pairs.length === 0) return ROUTES[name];
  return `${ROUTES[name]}?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
}

export const couponPage = (couponId: string): string => withQuery('coupon', { id: couponId });
export const orderPage = (orderId: string): string => withQuery('order', { id: orderId });
export const landingPath = (token: string): string => withQuery('referralLanding', { ref: token });
export const adminMemberPage = (memberId: string): string => withQuery('adminMember', { memberId });
