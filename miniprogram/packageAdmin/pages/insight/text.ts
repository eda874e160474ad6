import type { InsightKind } from '../../../../core/contracts/insight';
import { STAGE_LABELS } from '../segments/text';

/** Text of the insight reports page, Chinese first; en has the same keys. */
const zh = {
  title: '洞察报表',
  noRight: '仅店长和品牌管理员可查看洞察报表',
  empty: '该时间段还没有统计数据',
  emptyHint: '统计每天凌晨生成，可换一个时间段',
  last30: '近 30 天',
  last90: '近 90 天',
  last365: '近一年',
  asOf: '数据截至 {date}',
  table: '明细',
  copy: '复制 CSV',
  save: '保存文件',
  copied: 'CSV 已复制',
  saved: '已保存 {file}',
  exportFailed: '导出失败，请重试',
  reports: {
    lifecycle: '生命周期流转',
    messaging: '旅程与活动漏斗',
    referral: '推荐漏斗',
    unfollow: '取关（按阶段）',
    retention: '入会月留存',
  } as Record<InsightKind, string>,
  hints: {
    lifecycle: '每周进入各阶段的人数，明细含来源阶段与原因',
    messaging: '每个旅程和活动：进入、发送、转化',
    referral: '每天打开邀请与好友入会人数',
    unfollow: '各阶段的关注人数与取关人数',
    retention: '按入会月份：第 N 个月仍有购买的比例',
  } as Record<InsightKind, string>,
  columns: {
    week: '周',
    from: '原阶段',
    to: '新阶段',
    cause: '原因',
    members: '人数',
    group: '分组',
    followers: '关注',
    unfollows: '取关',
    rate: '比例',
    cohort: '入会月',
    joined: '入会',
    date: '日期',
    opened: '打开',
    kind: '类型',
    id: '编号',
    name: '名称',
    entered: '进入',
    sent: '已发送',
    converted: '转化',
    skipped_no_consent: '跳过·未同意',
    skipped_opted_out: '跳过·已退订',
    skipped_capped_day: '跳过·当日频次',
    skipped_capped_week: '跳过·当周频次',
    skipped_outside_service_window: '跳过·超出服务窗口',
    skipped_member_not_found: '跳过·会员不存在',
  } as Record<string, string>,
};
export type InsightText = typeof zh;

const en: InsightText = {
  title: 'Insight',
  noRight: 'Only store managers and brand admins see insight reports',
  empty: 'No statistics for this period yet',
  emptyHint: 'Statistics are made every night; try another period',
  last30: 'Last 30 days',
  last90: 'Last 90 days',
  last365: 'Last year',
  asOf: 'Figures as of {date}',
  table: 'Table',
  copy: 'Copy CSV',
  save: 'Save file',
  copied: 'CSV copied',
  saved: 'Saved {file}',
  exportFailed: 'Export failed, please try again',
  reports: {
    lifecycle: 'Lifecycle flows',
    messaging: 'Journey & campaign funnels',
    referral: 'Referral funnel',
    unfollow: 'Unfollows by stage',
    retention: 'Retention by join month',
  },
  hints: {
    lifecycle: 'Members entering each stage per week; the table has the stage they left and why',
    messaging: 'Each journey and campaign: entered, sent, converted',
    referral: 'Invitations opened and friends who joined, per day',
    unfollow: 'Followers and unfollows in each stage',
    retention: 'By join month: the share still buying in month N',
  },
  columns: {
    week: 'Week',
    from: 'From',
    to: 'To',
    cause: 'Cause',
    members: 'Members',
    group: 'Group',
    followers: 'Followers',
    unfollows: 'Unfollows',
    rate: 'Rate',
    cohort: 'Cohort',
    joined: 'Joined',
    date: 'Date',
    opened: 'Opened',
    kind: 'Kind',
    id: 'Id',
    name: 'Name',
    entered: 'Entered',
    sent: 'Sent',
    converted: 'Converted',
    skipped_no_consent: 'Skipped: no consent',
    skipped_opted_out: 'Skipped: opted out',
    skipped_capped_day: 'Skipped: daily cap',
    skipped_capped_week: 'Skipped: weekly cap',
    skipped_outside_service_window: 'Skipped: outside window',
    skipped_member_not_found: 'Skipped: no member',
  },
};

export const texts = { zh, en };

const stages = STAGE_LABELS as Record<string, { zh: string; en: string } | undefined>;

/** A stage id in the language, else the id itself. */
export const stageWord = (lang: 'zh' | 'en', id: string): string => stages[id]?.[lang] ?? id;

/** A column or stage id in the language: a known column, a stage, else the id itself (skip reasons, months). */
export const wordFor = (t: InsightText, lang: 'zh' | 'en', id: string): string => t.columns[id] ?? stageWord(lang, id);
