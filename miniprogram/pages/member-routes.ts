/** The member pages (issues 4 and 5): all in the `packageMember` subpackage (the main package holds only the tab pages). */
export const MEMBER_PAGES = {
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

export const couponPage = (couponId: string): string => `${MEMBER_PAGES.coupon}?id=${encodeURIComponent(couponId)}`;
