import { z } from 'zod';
import type { Database } from '../runtime/cloud';
import type { Logger } from '../kit/logger';
import { OaApiError, TOKEN_REJECTED } from './errors';
import { postJson } from './http';
import { oaCredentials, type OaCredentials } from './config';
import { accessToken, readAnswer, timeLeft, type OaDeps } from './token';

/** The Official Account's message APIs (POST JSON with `?access_token=`). */
export const OA_TEMPLATE_SEND = 'cgi-bin/message/template/send';
export const OA_CUSTOM_SEND = 'cgi-bin/message/custom/send';
export type OaMessageApi = typeof OA_TEMPLATE_SEND | typeof OA_CUSTOM_SEND;

const sendAnswer = z.object({ msgid: z.union([z.number(), z.string()]).optional() }).passthrough();

export interface OaMessengerOptions {
  db: Database;
  now: () => Date;
  log: Logger;
  /** read at the first send, so a brand without an Official Account fails only its OA messages */
  creds?: () => OaCredentials;
  /** real-time ms (Date.now) after which no call to WeChat starts */
  deadline: number;
  callTimeoutMs?: number;
}

export interface OaMessenger {
  /** Throws OaApiError (WeChat's errcode, or timeout/network/bad_response) or OA_NOT_CONFIGURED. */
  send(api: OaMessageApi, body: Record<string, unknown>): Promise<{ msgid?: string }>;
}

/**
 * Sends Official Account messages with the shared access token (`oa_tokens`), read once for the
 * messenger's life (one dispatcher run) instead of once per message. A token WeChat refuses
 * (40001/42001) is refreshed once, by one of the sends that saw it refused; the others wait for it.
 */
export function oaMessenger(opts: OaMessengerOptions): OaMessenger {
  let deps: OaDeps | null = null;
  const depsNow = (): OaDeps =>
    (deps ??= {
      db: opts.db,
      now: opts.now,
      log: opts.log,
      creds: (opts.creds ?? oaCredentials)(),
      deadline: opts.deadline,
      callTimeoutMs: opts.callTimeoutMs ?? 5_000,
    });
  let current: Promise<string> | null = null;
  const fresh = (rejected?: string): Promise<string> => {
    const p = accessToken(depsNow(), rejected);
    current = p;
    p.catch(() => {
      if (current === p) current = null;
    });
    return p;
  };
  const renew = async (rejected: string): Promise<string> => {
    for (;;) {
      const p = current;
      const token = p ? await p.catch(() => null) : null;
      if (p !== current) continue; // another send renewed it meanwhile: use theirs
      return token && token !== rejected ? token : fresh(rejected);
    }
  };
  const post = async (api: OaMessageApi, token: string, body: Record<string, unknown>) => {
    const d = depsNow();
    const a = readAnswer(
      api,
      await postJson(api, `${d.creds.apiBase}/${api}?access_token=${encodeURIComponent(token)}`, body, timeLeft(d)),
      sendAnswer,
    );
    return a.msgid === undefined ? {} : { msgid: String(a.msgid) };
  };
  return {
    async send(api, body) {
      const token = await (current ?? fresh());
      try {
        return await post(api, token, body);
      } catch (e) {
        if (!(e instanceof OaApiError) || e.errcode === null || !TOKEN_REJECTED.has(e.errcode)) throw e;
        opts.log.warn('oa access token refused by WeChat: refreshing', { errcode: e.errcode, api });
        return post(api, await renew(token), body);
      }
    },
  };
}
