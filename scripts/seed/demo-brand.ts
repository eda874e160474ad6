/**
 * The demo brand `npm start` loads: Taste of Su (seed 003), a qipao retailer with two stores,
 * staff of each role and the coupon templates its stories use. Later features extend it.
 */
export const demoBrand = {
  brand: [
    {
      _id: 'brand',
      name: { zh: '苏韵旗袍', en: 'Taste of Su' },
      timeZone: 'Asia/Shanghai',
      primaryColor: '#8B1E3F',
    },
  ],
  stores: [
    { _id: 'store_sh_xintiandi', name: { zh: '上海新天地店', en: 'Shanghai Xintiandi' }, city: '上海', openingHours: '10:00-22:00' },
    { _id: 'store_sz_wanxiang', name: { zh: '深圳万象城店', en: 'Shenzhen MixC' }, city: '深圳', openingHours: '10:00-22:00' },
  ],
  staff: [
    { _id: 'staff_admin', openid: 'o_demo_admin', name: '品牌管理员', role: 'brand_admin', storeIds: [] },
    { _id: 'staff_manager_sh', openid: 'o_demo_manager', name: '王店长', role: 'store_manager', storeIds: ['store_sh_xintiandi'] },
    { _id: 'staff_advisor_sh', openid: 'o_demo_advisor', name: '李顾问', role: 'advisor', storeIds: ['store_sh_xintiandi'] },
  ],
  coupon_templates: [
    { _id: 'tpl_welcome_10off', name: { zh: '入会礼 9 折券', en: 'Welcome 10% off' }, kind: 'percent_off', percentOff: 10, validDays: 30, perMemberLimit: 1, stock: null },
    { _id: 'tpl_referral_20', name: { zh: '好友邀请 20 元券', en: 'Referral 20 RMB voucher' }, kind: 'amount_off', amountOffFen: 2000, minSpendFen: 10000, validDays: 60, perMemberLimit: 10, stock: null },
  ],
} as const;
