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
}

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
    muted: '#8a8580',
  },
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
  };
  return Object.entries(vars).map(([k, v]) => `${k}: ${v}`).join('; ');
}
