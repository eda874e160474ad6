import { DEFAULT_REFERRAL_CONFIG, type ReferralConfig } from '../../core/referral';
import type { Database } from '../runtime/cloud';
import { readDoc } from '../db/documents';
import { secretFromEnv } from '../http/secrets';
import { loadBrandConfig } from '../config';

export const REFERRAL_SECRET = 'MEMBER_CENTRE_REFERRAL_SECRET';
/** The brand-set-up document holding the programme (any field of ReferralConfig; the rest default). */
export const REFERRAL_CONFIG_DOC = 'referral';
/** The page a share card (`?ref=<token>`) and a poster's code (scene `r=<code>`) open: the landing page reads both. */
export const SHARE_PAGE = 'packageReferral/pages/landing/index';

/** The demo brand's voucher (seed 003: 20 RMB each side). */
const BRAND_DEFAULTS: ReferralConfig = {
  ...DEFAULT_REFERRAL_CONFIG,
  referrerCouponTemplateId: 'tpl_referral_20',
  friendCouponTemplateId: 'tpl_referral_20',
};

export async function referralConfig(db: Database): Promise<ReferralConfig> {
  const doc = await readDoc<Partial<ReferralConfig> & { _id: string }>(db, 'brand', REFERRAL_CONFIG_DOC);
  if (!doc) return BRAND_DEFAULTS;
  const { _id, ...rest } = doc;
  void _id;
  return { ...BRAND_DEFAULTS, ...rest };
}

export function referralSecret(): string {
  const s = secretFromEnv(REFERRAL_SECRET);
  if (!s) throw new Error(`${REFERRAL_SECRET} is not set`);
  return s;
}

export const brandTimeZone = (): string => loadBrandConfig().config.timeZone;
