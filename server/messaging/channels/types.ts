import { DomainError, ErrorCodes } from '../../../core/errors';
import type { SendFailure } from '../../../core/messaging';
import { OaApiError } from '../../oa';

/** One message as a channel sends it: rendered text, the recipient's address on that channel, the outbox key. */
export interface RenderedMessage {
  key: string;
  /** OpenID on the channel's app (Mini Program for subscribe, Official Account for oa_*). */
  touser: string;
  /** For email. */
  email?: string;
  /** WeChat template id (subscribe, oa_template). */
  templateId: string;
  title: string;
  body: string;
  language: 'zh' | 'en';
}

export type SendOutcome = { ok: true; providerId?: string } | { ok: false; failure: SendFailure };

export interface ChannelAdapter {
  send(msg: RenderedMessage): Promise<SendOutcome>;
}

/** Calls one WeChat API, e.g. `subscribeMessage.send`: in CloudBase `cloud.openapi`, which holds the access token. */
export type OpenApiCall = (apiName: string, params: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** What the SDK throws for a WeChat errcode or a timeout, as a SendFailure. */
export function failureOf(e: unknown): SendFailure {
  const err = e as { errCode?: unknown; errcode?: unknown; errMsg?: unknown; message?: unknown; code?: unknown };
  const msg = String(err?.errMsg ?? err?.message ?? '');
  if (/time ?out|ETIMEDOUT|ESOCKETTIMEDOUT|ECONNRESET/i.test(msg) || err?.code === 'ETIMEDOUT')
    return { timeout: true };
  const code = Number(err?.errCode ?? err?.errcode);
  return { errcode: Number.isFinite(code) ? code : -1, errmsg: msg.slice(0, 200) };
}

/** An Official Account API failure as a SendFailure: no Official Account configured is permanent (48001 api unauthorized). */
export function oaFailureOf(e: unknown): SendFailure {
  if (e instanceof OaApiError) {
    if (e.errcode !== null) return { errcode: e.errcode, errmsg: e.message.slice(0, 200) };
    return e.reason === 'bad_response' ? { errcode: -1, errmsg: e.message.slice(0, 200) } : { timeout: true };
  }
  if (e instanceof DomainError && e.code === ErrorCodes.OA_NOT_CONFIGURED)
    return { errcode: 48001, errmsg: 'oa_not_configured' };
  return failureOf(e);
}

/** A mini-program page that carries the outbox key (`mk`): clicks and conversions trace back to one message. */
export const pageWithKey = (page: string, key: string): string =>
  `${page}${page.includes('?') ? '&' : '?'}mk=${encodeURIComponent(key)}`;
