/**
 * The brand this build is for: name, logo text and colours live here and nowhere else.
 * Pages apply them as CSS variables on their root view (`themeStyle`), which TDesign reads too.
 */
export interface Brand {
  /** Cloud environment id for `wx.cloud.init`; empty means the tool's current environment. */
  envId: string;
  name: { zh: string; en: string };
  /** Shown where a logo image would be: short, one or two characters. */
  logoText: string;
  colors: { primary: string; primaryLight: string; onPrimary: string; background: string; text: string; muted: string };
  /** The home page's banners, first shown first; `link` names a page of the routes table. */
  banners: { id: string; title: { zh: string; en: string }; subtitle: { zh: string; en: string }; link: BannerLink }[];
  /** What claiming the card gives, shown to visitors on the home page. */
  joinBenefits: { zh: string; en: string }[];
}

export type BannerLink = 'claimCentre' | 'booking' | 'invite' | 'mall';

export const brand: Brand = {
  envId: '',
  name: { zh: '苏韵', en: 'Taste of Su' },
  logoText: '苏',
  colors: {
    primary: '#8c2f39',
    primaryLight: '#f6e9ea',
    onPrimary: '#ffffff',
    background: '#f7f5f2',
    text: '#1f1f1f',
    muted: '#6b6560',
  },
  banners: [
    {
      id: 'spring',
      title: { zh: '春装上新', en: 'Spring collection' },
      subtitle: { zh: '领券满 500 减 50', en: '50 off a 500 spend: get the coupon' },
      link: 'claimCentre',
    },
    {
      id: 'fitting',
      title: { zh: '旗袍量身定制', en: 'Qipao fitting' },
      subtitle: { zh: '预约门店顾问一对一服务', en: 'Book a one-to-one session in store' },
      link: 'booking',
    },
  ],
  joinBenefits: [
    { zh: '入会即送欢迎礼券与积分', en: 'A welcome coupon and points when you join' },
    { zh: '消费累积积分，兑换好礼', en: 'Points on every purchase, to spend in the mall' },
    { zh: '会员专享预约与生日礼遇', en: 'Member bookings and a birthday treat' },
  ],
};

/** Inline style for a page root: brand variables plus TDesign's own theme variables. */
export function themeStyle(b: Brand = brand): string {
  const c = b.colors;
  const vars: Record<string, string> = {
    '--brand-primary': c.primary,
    '--brand-primary-light': c.primaryLight,
    '--brand-on-primary': c.onPrimary,
    '--brand-bg': c.background,
    '--brand-text': c.text,
    '--brand-muted': c.muted,
    '--td-brand-color': c.primary,
    '--td-brand-color-active': c.primary,
    '--td-brand-color-light': c.primaryLight,
    '--td-primary-color-7': c.primary,
    // touch targets: every button at least 44 px tall, whatever the screen width (rpx would shrink them)
    '--td-button-extra-small-height': '44px',
    '--td-button-small-height': '44px',
    '--td-button-medium-height': '46px',
    '--td-button-large-height': '48px',
  };
  return Object.entries(vars)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
}
