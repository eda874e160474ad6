/**
 * Who is holding the phone in the preview: an OpenID and how the Mini Program was opened.
 * Scene numbers are WeChat's (1047 scanned Mini Program code, 1007 shared card, 1001 menu).
 */
export interface Persona {
  id: string;
  label: string;
  openid: string;
  launch: { path: string; scene: number; query: Record<string, string> };
}

export const DEMO_STORE = 'store_sh_xintiandi';

export const PERSONAS: Persona[] = [
  {
    id: 'visitor',
    label: '新访客（门店码）New visitor · store QR',
    openid: 'o_preview_visitor',
    launch: { path: 'pages/home/index', scene: 1047, query: { scene: `s=${DEMO_STORE}` } },
  },
  {
    id: 'member',
    label: '会员 Member',
    openid: 'o_preview_member',
    launch: { path: 'pages/home/index', scene: 1001, query: {} },
  },
  {
    id: 'friend',
    label: '好友（分享）Friend from a share',
    openid: 'o_preview_friend',
    launch: { path: 'pages/home/index', scene: 1007, query: { store: DEMO_STORE, campaign: 'share' } },
  },
  {
    id: 'staff',
    label: '门店员工 Store staff',
    openid: 'o_demo_advisor',
    launch: { path: 'pages/me/index', scene: 1001, query: {} },
  },
  {
    id: 'manager',
    label: '店长 Store manager',
    openid: 'o_demo_manager',
    launch: { path: 'pages/me/index', scene: 1001, query: {} },
  },
  {
    id: 'admin',
    label: '品牌管理员 Brand admin',
    openid: 'o_demo_admin',
    launch: { path: 'pages/me/index', scene: 1001, query: {} },
  },
];

/** A persona opening the app at a given page, e.g. a share card: `personaAt('friend', '/packageReferral/pages/landing/index?ref=…')`. */
export const personaAt = (id: string, path: string): string => `${id}@${path}`;

/** The persona by id; `<id>@<path?query>` (from `personaAt`) is that persona launched at that page, same scene. */
export const personaById = (id: string | null | undefined): Persona => {
  const at = (id ?? '').indexOf('@');
  const base = PERSONAS.find((p) => p.id === (at < 0 ? id : id!.slice(0, at))) ?? PERSONAS[0]!;
  if (at < 0) return base;
  const url = new URL(id!.slice(at + 1).replace(/^\/+/, ''), 'http://launch/');
  return {
    ...base,
    launch: { ...base.launch, path: url.pathname.slice(1), query: Object.fromEntries(url.searchParams) },
  };
};
