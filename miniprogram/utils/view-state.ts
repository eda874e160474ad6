import { t } from '../i18n/index';
import { ClientErrorCodes, ServiceError } from '../services/cloud';

/** Every page shows one of these; `state-view` renders the first three. */
export type Status = 'loading' | 'error' | 'empty' | 'ready';

/** Text for an error state: a friendly line for network trouble, the server's message otherwise. */
export function errorText(err: unknown): string {
  if (err instanceof ServiceError && err.code !== ClientErrorCodes.NETWORK && err.code !== ClientErrorCodes.CALL_FAILED) return err.message;
  return t('common.networkError');
}

export function stopPullDown(): void {
  if (typeof wx.stopPullDownRefresh === 'function') wx.stopPullDownRefresh();
}
