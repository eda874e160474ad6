/**
 * The `scene` of a store/advisor Mini Program code (WeChat allows ≤ 32 characters from
 * 0-9 A-Z a-z !#$&'()*+,/:;=?@-._~). Two forms:
 *   `s=<storeId>&a=<advisorId>&c=<campaign>`  the fields themselves, when they fit;
 *   `q=<qrcodeId>`                            a stored code (collection `qrcodes`) naming them.
 * A share path carries the same fields as query keys `store`, `advisor`, `campaign`.
 */
export const SCENE_MAX = 32;
const SCENE_CHARS = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const CAMPAIGN = /^[A-Za-z0-9_-]{1,16}$/;

export interface SceneFields {
  storeId: string;
  advisorId: string | null;
  campaign: string | null;
}

export type ParsedScene = ({ kind: 'fields' } & SceneFields) | { kind: 'ref'; qrcodeId: string };

/** The scene for these fields, or null when they do not fit in 32 characters (use a `q=` reference then). */
export function formatScene(f: SceneFields): string | null {
  if (
    !ID.test(f.storeId) ||
    (f.advisorId !== null && !ID.test(f.advisorId)) ||
    (f.campaign !== null && !CAMPAIGN.test(f.campaign))
  )
    return null;
  const parts = [`s=${f.storeId}`];
  if (f.advisorId) parts.push(`a=${f.advisorId}`);
  if (f.campaign) parts.push(`c=${f.campaign}`);
  const scene = parts.join('&');
  return scene.length <= SCENE_MAX ? scene : null;
}

export const formatSceneRef = (qrcodeId: string): string => `q=${qrcodeId}`;

/** Splits `k=v&k=v`; null on any malformed or repeated pair. */
function pairs(raw: string): Map<string, string> | null {
  const out = new Map<string, string>();
  for (const part of raw.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    const k = part.slice(0, eq);
    const v = part.slice(eq + 1);
    if (out.has(k) || v === '') return null;
    out.set(k, v);
  }
  return out;
}

/** The scene's meaning, or null when it is malformed (the caller logs and ignores it). */
export function parseScene(raw: string): ParsedScene | null {
  if (raw.length === 0 || raw.length > SCENE_MAX || !SCENE_CHARS.test(raw)) return null;
  const p = pairs(raw);
  if (!p) return null;
  const q = p.get('q');
  if (q !== undefined) return p.size === 1 && /^[A-Za-z0-9]{4,24}$/.test(q) ? { kind: 'ref', qrcodeId: q } : null;
  const storeId = p.get('s');
  if (!storeId || !ID.test(storeId)) return null;
  const advisorId = p.get('a') ?? null;
  const campaign = p.get('c') ?? null;
  if (advisorId !== null && !ID.test(advisorId)) return null;
  if (campaign !== null && !CAMPAIGN.test(campaign)) return null;
  if ([...p.keys()].some((k) => !['s', 'a', 'c'].includes(k))) return null;
  return { kind: 'fields', storeId, advisorId, campaign };
}

/** The fields of a share path's query, or null when it names no (well-formed) store. */
export function sceneFromQuery(query: Record<string, string>): SceneFields | null {
  const storeId = query.store;
  if (!storeId || !ID.test(storeId)) return null;
  const advisorId = query.advisor && ID.test(query.advisor) ? query.advisor : null;
  const campaign = query.campaign && CAMPAIGN.test(query.campaign) ? query.campaign : null;
  return { storeId, advisorId, campaign };
}

/** The Mini Program receives a code's scene URL-encoded; a bad escape makes it malformed (null). */
export function decodeScene(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}
