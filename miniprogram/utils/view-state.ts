import { dict, getLang, t } from '../i18n/index';
import { ClientErrorCodes, ServiceError } from '../services/cloud';

/** Every page shows one of these; `state-view` renders the first three. */
export type Status = 'loading' | 'error' | 'empty' | 'ready';

/** A server message written "中文 / English": the half in the reader's language (a message with one language is shown as it is). */
export function inLanguage(message: string, lang = getLang()): string {
  const at = message.indexOf(' / ');
  if (at < 0) return message;
  return lang === 'en' ? message.slice(at + 3) : message.slice(0, at);
}

/** The reader's text for a stable error code, or undefined for a code the dictionaries do not know. */
export function codeText(code: string, lang = getLang()): string | undefined {
  return (dict(lang).errors as Record<string, string>)[code];
}

/**
 * Text for an error: by its stable code from the dictionary (`errors`), a friendly line for network
 * trouble; only a code this build does not know yet falls back to the server's message.
 */
export function errorText(err: unknown): string {
  if (err instanceof ServiceError && err.code !== ClientErrorCodes.NETWORK && err.code !== ClientErrorCodes.CALL_FAILED)
    return codeText(err.code) ?? inLanguage(err.message);
  return t('common.networkError');
}

export function stopPullDown(): void {
  if (typeof wx.stopPullDownRefresh === 'function') wx.stopPullDownRefresh();
}
