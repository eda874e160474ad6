import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { createStoreCode as codeContract } from '../../core/contracts/member';
import { DomainError, ErrorCodes } from '../../core/errors';
import { formatScene, formatSceneRef } from '../../core/identity/scene';
import type { ActionContext } from '../kit/context';
import { readDoc } from '../db/documents';
import { sdk } from '../runtime/cloud';
import { requireStaff, worksAt, type StaffDoc } from '../staff/require';

type Input = z.output<typeof codeContract.input>;
type Output = z.input<typeof codeContract.output>;

const DEFAULT_PAGE = 'pages/index/index';

/** Same store, advisor and campaign → same id, so creating a code again reuses its record. */
const qrcodeIdOf = (storeId: string, advisorId: string | null, campaign: string | null): string =>
  BigInt(
    `0x${createHash('sha256')
      .update(`${storeId}|${advisorId ?? ''}|${campaign ?? ''}`)
      .digest('hex')
      .slice(0, 16)}`,
  )
    .toString(36)
    .slice(0, 10)
    .padStart(10, '0');

/**
 * A Mini Program code for a store (and advisor, campaign). Staff only: an advisor makes codes for
 * themself, a store manager for their stores, the brand admin for any. The image is kept in
 * `qrcodes` (base64) with what it names, so a `q=` scene resolves even when the fields do not fit.
 */
export async function createStoreCode(input: Input, ctx: ActionContext): Promise<Output> {
  const staff = await requireStaff(ctx, 'member.createStoreCode', {
    storeId: input.storeId,
    refuseAs: ErrorCodes.NOT_STAFF,
  });
  const advisorId = input.advisorId ?? (staff.role === 'advisor' ? staff._id : null);
  if (staff.role === 'advisor' && advisorId !== staff._id)
    throw new DomainError(ErrorCodes.NOT_STAFF, '顾问只能生成自己的二维码 / advisors make their own codes only');
  const [store, advisor] = await Promise.all([
    readDoc<{ _id: string }>(ctx.db, 'stores', input.storeId),
    advisorId ? readDoc<StaffDoc>(ctx.db, 'staff', advisorId) : Promise.resolve(null),
  ]);
  if (!store)
    throw new DomainError(ErrorCodes.STORE_NOT_FOUND, '门店不存在 / unknown store', { storeId: input.storeId });
  if (advisorId && (!advisor || !worksAt(advisor, input.storeId)))
    throw new DomainError(ErrorCodes.ADVISOR_NOT_FOUND, '顾问不存在或不属于该门店 / unknown advisor for this store', {
      advisorId,
    });

  const campaign = input.campaign ?? null;
  const qrcodeId = qrcodeIdOf(input.storeId, advisorId, campaign);
  const scene = formatScene({ storeId: input.storeId, advisorId, campaign }) ?? formatSceneRef(qrcodeId);
  const page = input.page ?? DEFAULT_PAGE;
  let image: { contentType?: string; buffer?: Buffer | Uint8Array };
  try {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's typings do not declare this openapi call
    image = await (sdk().openapi as any).wxacode.getUnlimited({
      scene,
      page,
      checkPath: false,
      ...(input.width ? { width: input.width } : {}),
    });
  } catch (e) {
    throw new DomainError(ErrorCodes.WECHAT_API_FAILED, '生成小程序码失败 / WeChat could not make the code', {
      errCode: (e as { errCode?: number }).errCode ?? null,
    });
  }
  const imageBase64 = Buffer.from(image.buffer ?? []).toString('base64');
  const contentType = image.contentType ?? 'image/png';
  const now = ctx.now();
  await ctx.db
    .collection('qrcodes')
    .doc(qrcodeId)
    .set({
      data: {
        storeId: input.storeId,
        advisorId,
        campaign,
        scene,
        page,
        contentType,
        imageBase64,
        createdBy: staff._id,
        createdAt: now,
      },
    });
  return { qrcodeId, scene, page, contentType, imageBase64 };
}
