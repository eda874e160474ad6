import { z } from 'zod';
import type { Database } from '../runtime/cloud';
import type { Logger } from '../kit/logger';
import { OaApiError, TOKEN_REJECTED } from './errors';
import { getJson } from './http';
import { oaCredentials, type OaCredentials } from './config';
import { accessToken, readAnswer, timeLeft, type OaDeps } from './token';

const API = 'cgi-bin/user/info';

/** `subscribe` 0 means the person does not follow (any more): WeChat then sends little else. */
const userInfoAnswer = z.object({
  subscribe: z.union([z.literal(0), z.literal(1)]),
  openid: z.string().min(1),
  unionid: z.string().min(1).optional(),
});

export interface OaUserInfo {
  unionid: string | null;
  subscribed: boolean;
}

export interface OaClientOptions {
  db: Database;
  now: () => Date;
  log: Logger;
  creds?: OaCredentials;
  /** all WeChat calls of one lookup end within this (the platform waits 5 s for the callback's answer) */
  budgetMs?: number;
  callTimeoutMs?: number;
}

async function callUserInfo(deps: OaDeps, token: string, oaOpenid: string) {
  const q = new URLSearchParams({ access_token: token, openid: oaOpenid, lang: 'zh_CN' });
  const body = await getJson(API, `${deps.creds.apiBase}/cgi-bin/user/info?${q}`, timeLeft(deps));
  const a = readAnswer(API, body, userInfoAnswer);
  if (a.openid !== oaOpenid) throw new OaApiError(API, null, 'bad_response', 'answer is about another openid');
  return a;
}

/**
 * Asks WeChat who an Official Account follower is (`cgi-bin/user/info`), with the shared access
 * token; a token WeChat refuses (40001/42001) is refreshed and the call made once more.
 * Throws OA_NOT_CONFIGURED, or OA_API_FAILED with the errcode.
 */
export async function userInfo(opts: OaClientOptions, oaOpenid: string): Promise<OaUserInfo> {
  const deps: OaDeps = {
    db: opts.db,
    now: opts.now,
    log: opts.log,
    creds: opts.creds ?? oaCredentials(),
    deadline: Date.now() + (opts.budgetMs ?? 2_500),
    callTimeoutMs: opts.callTimeoutMs ?? 1_500,
  };
  const token = await accessToken(deps);
  let answer;
  try {
    answer = await callUserInfo(deps, token, oaOpenid);
  } catch (e) {
    if (!(e instanceof OaApiError) || e.errcode === null || !TOKEN_REJECTED.has(e.errcode)) throw e;
    deps.log.warn('oa access token refused by WeChat: refreshing', { errcode: e.errcode });
    answer = await callUserInfo(deps, await accessToken(deps, token), oaOpenid);
  }
  return { unionid: answer.unionid ?? null, subscribed: answer.subscribe === 1 };
}
