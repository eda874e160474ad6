import { DomainError, ErrorCodes } from '../../core/errors';
import { loadBrandConfig } from '../config';
import { OA_APP_SECRET, secretFromEnv } from '../http/secrets';

export const OA_APP_ID = 'OA_APP_ID';
export { OA_APP_SECRET };
export const WECHAT_API_BASE = 'WECHAT_API_BASE';
export const DEFAULT_WECHAT_API_BASE = 'https://api.weixin.qq.com';

export interface OaCredentials {
  appId: string;
  secret: string;
  /** without a trailing slash */
  apiBase: string;
}

/** The Official Account's appid: env, else `officialAccount.appId` of the brand. */
export const oaAppId = (env: Readonly<Record<string, string | undefined>> = process.env): string | undefined =>
  env[OA_APP_ID] || loadBrandConfig().config.officialAccount?.appId;

/** The Official Account's appid (env, else `officialAccount.appId` of the brand) and secret (env only). */
export function oaCredentials(env: Readonly<Record<string, string | undefined>> = process.env): OaCredentials {
  const appId = oaAppId(env);
  const secret = secretFromEnv(OA_APP_SECRET, env);
  if (!appId || !secret) {
    throw new DomainError(
      ErrorCodes.OA_NOT_CONFIGURED,
      `公众号未配置 / Official Account not configured: ${!appId ? `${OA_APP_ID} or officialAccount.appId` : OA_APP_SECRET} missing`,
    );
  }
  return { appId, secret, apiBase: (env[WECHAT_API_BASE] || DEFAULT_WECHAT_API_BASE).replace(/\/+$/, '') };
}
