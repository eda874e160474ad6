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
  { id: 'visitor', label: '新访客（门店码）New visitor · store QR', openid: 'o_preview_visitor', launch: { path: 'pages/home/index', scene: 1047, query: { scene: `s=${DEMO_STORE}` } } },
  { id: 'member', label: '会员 Member', openid: 'o_preview_member', launch: { path: 'pages/home/index', scene: 1001, query: {} } },
  { id: 'friend', label: '好友（分享）Friend from a share', openid: 'o_preview_friend', launch: { path: 'pages/home/index', scene: 1007, query: { store: DEMO_STORE, campaign: 'share' } } },
  { id: 'staff', label: '门店员工 Store staff', openid: 'o_demo_advisor', launch: { path: 'pages/me/index', scene: 1001, query: {} } },
];

export const personaById = (id: string | null | undefined): Persona => PERSONAS.find((p) => p.id === id) ?? PERSONAS[0]!;
