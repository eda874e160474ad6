import type { MessageType } from '../../../../core/config/messages';
import type { Stage } from '../../../../core/lifecycle/config';
import type { PageText, PageTexts } from '../../../utils/page-text';
import en from './en.json';
import zh from './zh.json';

/** Text of the segments and campaigns page, Chinese first; en has the same keys. */
export type SegmentsText = PageText<typeof zh>;
export const texts: PageTexts<SegmentsText> = { zh, en };

export const STAGE_LABELS: Record<Stage, { zh: string; en: string }> = {
  anonymous: { zh: '匿名访客', en: 'Anonymous' },
  window: { zh: '浏览客', en: 'Window' },
  first_time: { zh: '首购客', en: 'First-time' },
  repeat: { zh: '复购客', en: 'Repeat' },
  loyal: { zh: '忠诚客', en: 'Loyal' },
  indecisive: { zh: '犹豫客', en: 'Indecisive' },
  lapsed: { zh: '流失客', en: 'Lapsed' },
};

/** Subscription templates a marketing campaign may use (their ids are in the brand config, `subscriptionTemplates`). */
export const CAMPAIGN_TEMPLATES: Partial<Record<MessageType, { zh: string; en: string }>> = {
  birthday: { zh: '生日祝福', en: 'Birthday' },
  couponExpiring: { zh: '优惠券到期提醒', en: 'Coupon expiring' },
  pointsExpiring: { zh: '积分到期提醒', en: 'Points expiring' },
  welcome: { zh: '入会成功通知', en: 'Welcome' },
  thankYou: { zh: '购买成功通知', en: 'Thank you' },
};
