import { surveyPrompt, WELCOME_SURVEY } from '../../core/surveys';

/** Texts of the message templates journeys and campaigns name, zh first. Subscription keywords hold ≤ 20 characters. */
interface Text {
  title: string;
  body: string;
}

const TEXTS: Record<string, { zh: Text; en: Text }> = {
  order_unpaid_reminder: {
    zh: { title: '订单待付款', body: '您的订单还未付款，请尽快完成支付' },
    en: { title: 'Order awaiting payment', body: 'Your order is not paid yet' },
  },
  menu_article: {
    zh: { title: '为您推荐', body: '点击阅读您关注的内容' },
    en: { title: 'For you', body: 'Read what you asked for' },
  },
  menu_article_second: {
    zh: { title: '还在考虑吗？', body: '为您挑选了更多好物' },
    en: { title: 'Still thinking?', body: 'More picks for you' },
  },
  welcome_survey: {
    zh: { title: '欢迎关注', body: `花一分钟告诉我们您的喜好\n${surveyPrompt(WELCOME_SURVEY, 'zh')}` },
    en: { title: 'Welcome', body: `Tell us what you like in one minute\n${surveyPrompt(WELCOME_SURVEY, 'en')}` },
  },
  welcome_survey_retry: {
    zh: { title: '问卷还差一步', body: `完成问卷即可领取好礼\n${surveyPrompt(WELCOME_SURVEY, 'zh')}` },
    en: { title: 'One step left', body: `Finish the survey for a gift\n${surveyPrompt(WELCOME_SURVEY, 'en')}` },
  },
  nurture_welcome: {
    zh: { title: '欢迎加入会员', body: '会员权益已为您开启' },
    en: { title: 'Welcome aboard', body: 'Your member benefits are on' },
  },
  nurture_story: {
    zh: { title: '品牌故事', body: '一针一线的苏韵' },
    en: { title: 'Our story', body: 'Stitch by stitch' },
  },
  nurture_first_purchase_offer: {
    zh: { title: '首单礼遇', body: '首单专享优惠已到账' },
    en: { title: 'First order gift', body: 'Your first-order offer is here' },
  },
  hi_po_personal_welcome: {
    zh: { title: '专属欢迎', body: '您的专属顾问向您问好' },
    en: { title: 'A personal welcome', body: 'Your advisor says hello' },
  },
  qipao_story: {
    zh: { title: '旗袍故事', body: '一件旗袍的诞生' },
    en: { title: 'The qipao', body: 'How a qipao is made' },
  },
  first_purchase_thanks: {
    zh: { title: '感谢您的首单', body: '期待再次为您服务' },
    en: { title: 'Thank you', body: 'Thanks for your first order' },
  },
  upsell_recommended_article: {
    zh: { title: '为您推荐', body: '为您挑选了好物' },
    en: { title: 'Picked for you', body: 'New picks for you' },
  },
  upsell_recommended_offer: {
    zh: { title: '专属推荐', body: '为您挑选了好物' },
    en: { title: 'Your picks', body: 'New picks for you' },
  },
  cart_reminder: {
    zh: { title: '购物车提醒', body: '您的购物车里还有心仪的商品' },
    en: { title: 'Your cart', body: 'Items are waiting in your cart' },
  },
  email_confirm: {
    zh: { title: '请确认您的邮箱', body: '请打开链接确认邮箱地址' },
    en: { title: 'Please confirm your email', body: 'Open the link to confirm your address' },
  },
  birthday_greeting: {
    zh: { title: '生日快乐', body: '生日礼券已放入卡包' },
    en: { title: 'Happy birthday', body: 'A gift is in your wallet' },
  },
};

/** Templates whose body gives way to what their trigger announced (`member.joined`: the join rewards). */
const ANNOUNCING = new Set(['nurture_welcome']);
/**
 * Templates whose body names the member's recommended products (`recommended_zh` / `_en` in their
 * data, filled when the message is decided: server/behaviour/recommend.ts).
 */
export const RECOMMENDING = new Set(['upsell_recommended_article', 'upsell_recommended_offer']);

/** The text of a template in the member's language; data.title / data.body override (campaigns). */
export function textOf(template: string, language: 'zh' | 'en', data: Record<string, unknown> = {}): Text {
  const base = TEXTS[template]?.[language] ?? TEXTS[template]?.zh ?? { title: template, body: template };
  const title = typeof data['title'] === 'string' ? data['title'] : base.title;
  const filled = ANNOUNCING.has(template) ? 'announce' : RECOMMENDING.has(template) ? 'recommended' : null;
  const announced = filled ? data[`${filled}_${language}`] : undefined;
  const fallback = typeof announced === 'string' && announced ? announced : base.body;
  const body = typeof data['body'] === 'string' ? data['body'] : fallback;
  return { title, body };
}

/** At most `n` characters (code points), for keyword limits. */
export const clip = (s: string, n: number): string => [...s].slice(0, n).join('');
