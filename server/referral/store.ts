import type { Database, AnyDb } from '../runtime/cloud';
import { readDoc } from '../db/documents';
import type { ReferralDoc } from './documents';

/** The referral a member is the friend of: by the id it was made under, or by `refereeId` after a merge re-pointed it. */
export async function referralOfMember(db: Database, memberId: string): Promise<ReferralDoc | null> {
  const direct = await readDoc<ReferralDoc>(db, 'referrals', memberId);
  if (direct) return direct;
  const r = await (db as AnyDb).collection('referrals').where({ refereeId: memberId }).limit(1).get();
  return (r.data[0] as ReferralDoc | undefined) ?? null;
}
