/** Chinese text, the default. `en.ts` must have exactly the same keys (the type enforces it). */
export const zh = {
  common: {
    loading: '加载中…',
    errorTitle: '加载失败',
    networkError: '网络不太好，请稍后重试',
    retry: '重试',
    soon: '即将开放',
  },
  tab: { home: '首页', coupons: '优惠券', appointments: '预约', me: '我的' },
  home: {
    welcome: '欢迎来到{brand}',
    claimTitle: '成为会员',
    claimHint: '领取会员卡，享积分与专属优惠',
    claimCta: '领取会员卡',
    cardTitle: '会员卡',
    tier: '等级',
    points: '积分',
    cardNo: '卡号',
    notYet: '—',
  },
  coupons: { title: '我的优惠券', empty: '暂无优惠券', emptyHint: '领取的优惠券会出现在这里' },
  appointments: { title: '我的预约', empty: '暂无预约', emptyHint: '预约的服务会出现在这里' },
  me: {
    title: '我的',
    avatar: '头像',
    chooseAvatar: '选择头像',
    nickname: '昵称',
    nicknamePlaceholder: '点击填写昵称',
    language: '语言',
    staffEntry: '员工入口',
    staffSoon: '员工功能即将开放',
    visitor: '访客',
    member: '会员',
  },
  lang: { zh: '中文', en: 'English' },
};

export type Dict = typeof zh;
