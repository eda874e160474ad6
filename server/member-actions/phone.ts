import type { bindPhone as bindContract } from '../../core/contracts/member';
import { DomainError, ErrorCodes } from '../../core/errors';
import { maskPhone } from '../../core/identity/member';
import type { Handler } from '../kit/router';
import { sdk } from '../runtime/cloud';
import { linkToCaller } from '../identity/attach-on-link';
import { requireMember, resolveMember } from '../members/resolve';

interface PhoneAnswer {
  phoneInfo?: { purePhoneNumber?: string; phoneNumber?: string };
  phone_info?: { purePhoneNumber?: string; phoneNumber?: string };
}

/** Exchanges the page's one-time code for the number (the platform charges per call, so it is optional). */
async function phoneFromCode(code: string): Promise<string> {
  let answer: PhoneAnswer;
  try {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's typings do not declare this openapi call
    answer = (await (sdk().openapi as any).phonenumber.getPhoneNumber({ code })) as PhoneAnswer;
  } catch (e) {
    const errCode = (e as { errCode?: number }).errCode;
    if (errCode === 40029 || errCode === 40163)
      throw new DomainError(ErrorCodes.PHONE_CODE_INVALID, '手机号授权已失效，请重试 / phone code invalid or used', {
        errCode,
      });
    throw new DomainError(ErrorCodes.WECHAT_API_FAILED, '微信服务暂不可用 / WeChat API failed', {
      errCode: errCode ?? null,
    });
  }
  const info = answer.phoneInfo ?? answer.phone_info;
  const phone = info?.purePhoneNumber ?? info?.phoneNumber;
  if (!phone || !/^\+?\d{5,20}$/.test(phone))
    throw new DomainError(ErrorCodes.WECHAT_API_FAILED, '未取得手机号 / no phone number in the answer');
  return phone;
}

/** The phone becomes an identity; when it already belongs to another member, the two merge. */
export const bindPhone: Handler<typeof bindContract> = async (input, ctx) => {
  const me = await requireMember(ctx.db, ctx.openid);
  const phone = await phoneFromCode(input.code);
  const now = ctx.now();
  const r = await linkToCaller(ctx, now, { type: 'phone', value: phone }, 'phone');
  const survivor = (await resolveMember(ctx.db, r.memberId)) ?? me;
  if (survivor.phone !== phone) await ctx.db.collection('members').doc(survivor._id).update({ data: { phone } });
  return { memberId: survivor._id, phoneMasked: maskPhone(phone), merged: r.merged.length > 0 };
};
