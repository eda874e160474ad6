import { DomainError, ErrorCodes } from '../../core/errors';

export type OaFailureReason = 'errcode' | 'timeout' | 'network' | 'bad_response';

/** A failed call to the Official Account API: `errcode` is WeChat's (null when it never answered one). */
export class OaApiError extends DomainError {
  constructor(
    readonly api: string,
    readonly errcode: number | null,
    readonly reason: OaFailureReason,
    detail = '',
  ) {
    super(
      ErrorCodes.OA_API_FAILED,
      `公众号接口失败 / Official Account API failed: ${api} ${errcode ?? reason}${detail ? ` (${detail})` : ''}`,
      { api, errcode, reason },
    );
  }
}

/** Token invalid or expired: refresh it and try once more. */
export const TOKEN_REJECTED = new Set([40001, 42001]);
