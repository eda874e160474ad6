/** HTTP access routes (CloudBase HTTP access service): path → function. Deploy creates the same. */
export const httpRoutes: { path: string; fn: string }[] = [
  { path: '/http/member/link', fn: 'member' },
  { path: '/http/member/track', fn: 'member' },
  { path: '/http/member/email/confirm', fn: 'member' },
  { path: '/http/oa/callback', fn: 'oa' },
  { path: '/http/orders/sync', fn: 'orders' },
  { path: '/http/orders/products', fn: 'orders' },
  { path: '/http/pos/points/adjust', fn: 'coupons' },
  { path: '/http/pos/coupons/redeem', fn: 'coupons' },
];
