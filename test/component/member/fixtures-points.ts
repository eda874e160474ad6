/** The points page's header for `pointsSummary(1250, 1200, 50 expiring on 1 June)`. */
export const pointsHeader = {
  balance: 1250,
  spendable: '可用 1200',
  expiring: '50 积分将于 2026-06-01 前过期',
  tier: '银卡',
  nextTier: '下一等级：金卡',
  percent: 63,
  progress: '再得 750 积分升级金卡',
};
