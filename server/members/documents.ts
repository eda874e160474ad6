/** The stored shape of a member: one document per person, whatever IDs they are known by. */
export interface MemberDoc {
  _id: string;
  state: 'visitor' | 'follower' | 'member';
  openid?: string;
  unionid?: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  createdAt: Date;
}

export type IdentityType = 'mp_openid' | 'oa_openid' | 'unionid' | 'phone' | 'card' | 'external';

export interface IdentityDoc {
  _id: string;
  type: IdentityType;
  value: string;
  memberId: string;
  linkedAt: Date;
}

export const identityId = (type: IdentityType, value: string): string => `${type}:${value}`;
