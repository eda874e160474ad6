/** Small rules about the member record that the pages and the server share. */
export type StoredState = 'visitor' | 'follower' | 'member' | 'deleted';

/** A card makes a member; following the Official Account makes a follower; otherwise a visitor. */
export function stateOf(m: { cardNo?: string | null; oaFollowing?: boolean; deletedAt?: unknown }): StoredState {
  if (m.deletedAt) return 'deleted';
  if (m.cardNo) return 'member';
  return m.oaFollowing ? 'follower' : 'visitor';
}

/** 13800138000 → 138****8000; other lengths keep the first 3 and last 2. */
export function maskPhone(phone: string): string {
  if (phone.length >= 11) return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  if (phone.length <= 5) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 5)}${phone.slice(-2)}`;
}

/** Fields that identify a person: a deleted member keeps none of them. */
export const PERSONAL_FIELDS = [
  'name',
  'birthday',
  'birthMonth',
  'gender',
  'nickname',
  'avatarUrl',
  'phone',
  'openid',
  'unionid',
  'oaOpenid',
  'cardNo',
] as const;
