import { journeySchema, type Journey, type JourneyInput } from './schema';

/**
 * The journeys every brand starts with (enabled in the demo brand). Template keys name message
 * templates the messaging layer renders in the member's language (zh first, en).
 */
/** The member has a confirmed email address (double opt-in). */
const HAS_EMAIL = { type: 'attribute', name: 'email', op: 'exists' } as const;

type StepInput = JourneyInput['steps'][number];
/** A branch on the member's language (`fork`) to one send per language, `<id>-en` and `<id>-zh`; both end the run. */
const sendInLanguage = (
  fork: string,
  id: string,
  channel: 'oa_custom' | 'oa_template',
  template: string,
): StepInput[] => [
  { id: fork, type: 'branch', condition: { type: 'language', is: 'en' }, then: `${id}-en`, else: `${id}-zh` },
  ...(['en', 'zh'] as const).map((lang): StepInput => ({
    id: `${id}-${lang}`,
    type: 'send',
    channel,
    template,
    data: { lang },
    next: '$end',
  })),
];

const docs: JourneyInput[] = [
  {
    id: 'unpaid-order-reminder',
    name: '未付款订单提醒',
    description: 'Seed 002 / S16: an order created and not paid after 30 minutes gets a payment reminder.',
    enabled: true,
    trigger: { event: 'order.created' },
    entry: 'always',
    exitOn: [{ event: 'order.paid', sameSubject: true }],
    steps: [
      { id: 'wait-30m', type: 'wait', duration: '30m' },
      { id: 'remind', type: 'send', channel: 'subscribe', template: 'order_unpaid_reminder', purpose: 'transactional' },
    ],
  },
  {
    id: 'menu-click-follow-up',
    name: '菜单点击跟进',
    description:
      'Seed 002 / S17: article now; a second one at hour 47 (inside the OA 48-hour window) unless an order came in.',
    enabled: true,
    trigger: { event: 'oa.menu_clicked' },
    entry: 'notWhileActive',
    steps: [
      { id: 'article', type: 'send', channel: 'oa_custom', template: 'menu_article' },
      { id: 'wait-47h', type: 'wait', duration: '47h' },
      {
        id: 'ordered',
        type: 'branch',
        condition: { type: 'eventWithin', event: 'order.created', within: '47h' },
        then: '$end',
        else: 'second-article',
      },
      { id: 'second-article', type: 'send', channel: 'oa_custom', template: 'menu_article_second' },
    ],
  },
  {
    id: 'follower-survey',
    name: '新粉丝调研',
    description: 'Seed 002 / S17: survey on follow; asked again within 48 hours (at 24 h) unless completed.',
    enabled: true,
    trigger: { event: 'oa.subscribed' },
    entry: 'once',
    exitOn: [
      { event: 'survey.completed', sameSubject: false },
      { event: 'oa.unsubscribed', sameSubject: false },
    ],
    steps: [
      { id: 'survey', type: 'send', channel: 'oa_custom', template: 'welcome_survey' },
      { id: 'wait-24h', type: 'wait', duration: '24h' },
      { id: 'survey-again', type: 'send', channel: 'oa_custom', template: 'welcome_survey_retry' },
    ],
  },
  {
    id: 'new-member-nurture-72h',
    name: '新会员 72 小时培育',
    description: 'Seed 003 / S17: three messages in the first 72 hours; a purchase ends it.',
    enabled: true,
    trigger: { event: 'member.joined' },
    entry: 'once',
    exitOn: [{ event: 'order.paid', sameSubject: false }],
    steps: [
      { id: 'welcome', type: 'send', channel: 'subscribe', template: 'nurture_welcome' },
      { id: 'wait-24h', type: 'wait', duration: '24h' },
      { id: 'story', type: 'send', channel: 'subscribe', template: 'nurture_story' },
      { id: 'wait-another-24h', type: 'wait', duration: '24h' },
      { id: 'offer', type: 'send', channel: 'subscribe', template: 'nurture_first_purchase_offer' },
    ],
  },
  {
    id: 'hi-po-follower-welcome',
    name: 'Hi-Po 粉丝专属欢迎',
    description:
      'Seed 003 / S12: a referred friend who only follows and lands in "Hi-Po" gets a personal welcome within 24 hours.',
    enabled: true,
    trigger: { event: 'segment.entered', filter: { segmentId: 'hi-po' } },
    entry: 'once',
    exitOn: [{ event: 'member.joined', sameSubject: false }],
    steps: [
      {
        id: 'follower-only',
        type: 'branch',
        condition: {
          type: 'all',
          of: [
            { type: 'attribute', name: 'isFollower', op: 'eq', value: true },
            { type: 'attribute', name: 'isMember', op: 'eq', value: false },
            { type: 'attribute', name: 'referred', op: 'eq', value: true },
          ],
        },
        then: 'wait-10am',
        else: '$end',
      },
      // 10:00 brand time: outside quiet hours, never more than 24 hours away.
      { id: 'wait-10am', type: 'waitUntil', time: '10:00' },
      { id: 'welcome', type: 'send', channel: 'oa_custom', template: 'hi_po_personal_welcome' },
      { id: 'qipao-story', type: 'send', channel: 'oa_custom', template: 'qipao_story' },
      { id: 'tag', type: 'tag', op: 'add', tag: 'welcomed-follower' },
    ],
  },
  {
    id: 'first-purchase-thanks',
    name: '首单感谢',
    description: 'Seed 003 / S13: a thank-you notification after the first purchase.',
    enabled: true,
    trigger: { event: 'order.paid', filter: { firstPaid: true } },
    entry: 'once',
    steps: [
      { id: 'thanks', type: 'send', channel: 'subscribe', template: 'first_purchase_thanks', purpose: 'transactional' },
    ],
  },
  {
    id: 'post-purchase-upsell',
    name: '购后追加推荐',
    description:
      'Seed 002 / S18: room buyers get the products recommended for them by language; customer-service article if active in the last 48 h, else a template message.',
    enabled: true,
    trigger: { event: 'order.paid' },
    entry: 'always',
    steps: [
      {
        id: 'is-room',
        type: 'branch',
        condition: { type: 'productCategory', is: 'room' },
        then: 'wait-1h',
        else: '$end',
      },
      { id: 'wait-1h', type: 'wait', duration: '1h' },
      {
        id: 'active',
        type: 'branch',
        condition: { type: 'activeWithin', within: '48h' },
        then: 'active-lang',
        else: 'quiet-lang',
      },
      ...sendInLanguage('active-lang', 'article', 'oa_custom', 'upsell_recommended_article'),
      ...sendInLanguage('quiet-lang', 'template', 'oa_template', 'upsell_recommended_offer'),
    ],
  },
  {
    id: 'cart-abandonment',
    name: '购物车提醒',
    description:
      'Seed 002: a cart addition with no paid order within the brand’s hours gets a reminder on each channel ' +
      'consent allows.',
    enabled: true,
    trigger: { event: 'cart.abandoned' },
    entry: 'notWhileActive',
    exitOn: [{ event: 'order.paid', sameSubject: false }],
    steps: [
      { id: 'remind', type: 'send', channel: 'subscribe', template: 'cart_reminder' },
      { id: 'has-email', type: 'branch', condition: HAS_EMAIL, then: 'email', else: '$end' },
      { id: 'email', type: 'send', channel: 'email', template: 'cart_reminder' },
    ],
  },
  {
    id: 'birthday-greeting',
    name: '生日祝福',
    description:
      'Seed 000 / S19: on the birthday in the brand time zone (29 Feb → 28 Feb in non-leap years), members of the chosen segment get a greeting and a coupon at 10:00.',
    enabled: true,
    trigger: { event: 'birthday' },
    entry: 'always',
    steps: [
      {
        id: 'in-segment',
        type: 'branch',
        condition: { type: 'inSegment', segmentId: 'birthday-club' },
        then: 'wait-10am',
        else: '$end',
      },
      { id: 'wait-10am', type: 'waitUntil', time: '10:00' },
      { id: 'greeting', type: 'send', channel: 'subscribe', template: 'birthday_greeting' },
      { id: 'gift', type: 'grantCoupon', templateId: 'birthday-gift' },
    ],
  },
];

/** Parsed at load: a seed that does not fit the schema fails the first import, loudly. */
export const SEED_JOURNEYS: readonly Journey[] = docs.map((d) => journeySchema.parse(d));

export const seedJourney = (id: string): Journey | undefined => SEED_JOURNEYS.find((j) => j.id === id);
