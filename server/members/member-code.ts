import type { z } from 'zod';
import type { memberCode as codeContract, resolveMemberCode as resolveContract } from '../../core/contracts/member';
import { DomainError, ErrorCodes } from '../../core/errors';
import { MEMBER_CODE_ROTATE_SECONDS, issueMemberCode, verifyMemberCode } from '../../core/identity/member-code';
import { issueShortMemberCode } from '../../core/identity/member-code';
import type { ActionContext } from '../kit/context';
import type { Handler } from '../kit/router';
import { MEMBER_CODE_SECRET, secretFromEnv } from '../http/secrets';
import { requireStaff } from '../staff/require';
import { memberByIdentity, requireMember } from './resolve';

function secret(): string {
  const s = secretFromEnv(MEMBER_CODE_SECRET);
  if (!s) throw new DomainError(ErrorCodes.INTERNAL, `${MEMBER_CODE_SECRET} is not set`);
  return s;
}

/** The code the card shows now; the page refreshes it every minute. */
export async function memberCode(ctx: ActionContext): Promise<z.input<typeof codeContract.output>> {
  const m = await requireMember(ctx.db, ctx.openid);
  if (!m.cardNo) throw new DomainError(ErrorCodes.CARD_NOT_CLAIMED, '请先领取会员卡 / claim the member card first');
  const now = ctx.now();
  const { code, expiresAt } = issueMemberCode(m.cardNo, now, secret());
  const shortCode = issueShortMemberCode(m.cardNo, now, secret());
  return {
    code,
    shortCode,
    expiresAt: expiresAt.toISOString(),
    refreshInSeconds: Math.max(
      1,
      Math.min(MEMBER_CODE_ROTATE_SECONDS, Math.ceil((expiresAt.getTime() - now.getTime()) / 1000)),
    ),
  };
}

const maskName = (name: string | undefined): string | null =>
  name ? `${[...name][0]}${'*'.repeat(Math.max(1, [...name].length - 1))}` : null;

/** Staff scan a member code (either form): a stale or forged code is refused with its own code. */
export const resolveMemberCode: Handler<typeof resolveContract> = async (input, ctx) => {
  await requireStaff(ctx, 'member.resolveMemberCode', { refuseAs: ErrorCodes.NOT_STAFF });
  const check = verifyMemberCode(input.code, ctx.now(), secret());
  if (!check.ok) {
    throw check.code === 'MEMBER_CODE_EXPIRED'
      ? new DomainError(
          ErrorCodes.MEMBER_CODE_EXPIRED,
          '会员码已过期，请刷新 / code expired, ask the member to refresh',
        )
      : new DomainError(ErrorCodes.MEMBER_CODE_INVALID, '无效的会员码 / invalid member code');
  }
  const m = await memberByIdentity(ctx.db, 'card', check.cardNo);
  if (!m || !m.cardNo) throw new DomainError(ErrorCodes.MEMBER_CODE_INVALID, '无效的会员码 / invalid member code');
  return {
    memberId: m._id,
    cardNo: m.cardNo,
    displayName: maskName(m.name) ?? m.nickname ?? null,
    tier: m.tier ?? 'member',
    points: m.points ?? 0,
  };
};
