import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { type shareToken as shareContract } from '../../core/contracts/referral';
import { DomainError, ErrorCodes } from '../../core/errors';
import {
  issueReferralToken,
  verifyReferralToken,
  type ReferralConfig,
  type ReferralTokenClaims,
} from '../../core/referral';
import { addDays } from '../../core/time';
import type { ActionContext } from '../kit/context';
import type { Database } from '../runtime/cloud';
import { sdk } from '../runtime/cloud';
import { readDoc } from '../db/documents';
import { brandTimeZone, referralConfig, referralSecret, SHARE_PAGE } from './config';
import { requireMember } from '../members/resolve';

type Output = z.input<typeof shareContract.output>;

/** A poster's scene names a short code (`r=<code>`): a token does not fit in 32 characters. */
interface ReferralCodeDoc {
  _id: string;
  referrerId: string;
  /** The referrer's latest token; reissued each time they share, so a poster lives as long as they keep sharing. */
  token: string;
  updatedAt: Date;
}

const SCENE_MAX = 32;
const CODE_PREFIX = 'r=';
const newCode = (): string =>
  BigInt(`0x${randomBytes(8).toString('hex')}`)
    .toString(36)
    .slice(0, 10);

async function codeFor(db: Database, referrerId: string, token: string, now: Date): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK types a query's get() as string | void | IQueryResult
  const mine = (await (db as any).collection('referral_codes').where({ referrerId }).limit(1).get())
    .data as ReferralCodeDoc[];
  const code = mine[0]?._id ?? newCode();
  await db
    .collection('referral_codes')
    .doc(code)
    .set({ data: { referrerId, token, updatedAt: now } });
  return code;
}

/** The member's share card path and, on request, a poster with a Mini Program code (card members only). */
export async function shareToken(input: { poster: boolean; width?: number }, ctx: ActionContext): Promise<Output> {
  const now = ctx.now();
  const me = await requireMember(ctx.db, ctx.openid);
  if (!me.cardNo)
    throw new DomainError(
      ErrorCodes.REFERRAL_NOT_MEMBER,
      '领取会员卡后即可邀请好友 / claim your card to invite friends',
    );
  const config = await referralConfig(ctx.db);
  const tz = brandTimeZone();
  const token = issueReferralToken(me._id, now, referralSecret(), tz);
  const scene = token.length <= SCENE_MAX ? token : `${CODE_PREFIX}${await codeFor(ctx.db, me._id, token, now)}`;
  let poster: Output['poster'] = null;
  if (input.poster) {
    let image: { contentType?: string; buffer?: Buffer | Uint8Array };
    try {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's typings do not declare this openapi call
      image = await (sdk().openapi as any).wxacode.getUnlimited({
        scene,
        page: SHARE_PAGE,
        checkPath: false,
        ...(input.width ? { width: input.width } : {}),
      });
    } catch (e) {
      throw new DomainError(ErrorCodes.WECHAT_API_FAILED, '生成小程序码失败 / WeChat could not make the code', {
        errCode: (e as { errCode?: number }).errCode ?? null,
      });
    }
    poster = {
      contentType: image.contentType ?? 'image/png',
      imageBase64: Buffer.from(image.buffer ?? []).toString('base64'),
    };
  }
  const issuedDay =
    verifyReferralToken(token, referralSecret(), now, { ttlDays: config.tokenTtlDays, tz })?.issuedDay ?? '';
  return {
    token,
    path: `${SHARE_PAGE}?ref=${encodeURIComponent(token)}`,
    scene,
    expiresOn: issuedDay ? addDays(issuedDay, config.tokenTtlDays) : '',
    poster,
  };
}

/** The claims of a share token or poster scene (`r=<code>`, or the bare code); null when it is unknown, tampered or expired. */
export async function resolveToken(
  db: Database,
  raw: string,
  now: Date,
  config: ReferralConfig,
): Promise<ReferralTokenClaims | null> {
  let token = raw.trim();
  if (!token.includes('.')) {
    const code = token.startsWith(CODE_PREFIX) ? token.slice(CODE_PREFIX.length) : token;
    if (!/^[0-9a-z]{1,16}$/.test(code)) return null;
    const doc = await readDoc<ReferralCodeDoc>(db, 'referral_codes', code);
    if (!doc) return null;
    token = doc.token;
  }
  return verifyReferralToken(token, referralSecret(), now, { ttlDays: config.tokenTtlDays, tz: brandTimeZone() });
}
