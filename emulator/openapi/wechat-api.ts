import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/io';
import { errmsgFor, type OpenApiFault, type OpenApiRecorder } from './recorder';
import { emulatorOaCredentials, type OaUserRegistry } from './oa-users';

/** `<emulator>/wechat-api` stands for https://api.weixin.qq.com: function instances get it as WECHAT_API_BASE. */
export const WECHAT_API_PREFIX = '/wechat-api';

type Json = Record<string, unknown>;
const fail = (errcode: number, errmsg = errmsgFor(errcode)): Json => ({ errcode, errmsg });
const APPID = /^wx[0-9a-f]{16}$/;

function token(q: URLSearchParams, users: OaUserRegistry, now: Date): Json {
  if (q.get('grant_type') !== 'client_credential') return fail(40002, 'invalid grant_type');
  const appid = q.get('appid') ?? '';
  const expected = emulatorOaCredentials();
  if (!APPID.test(appid) || appid !== expected.appId) return fail(40013, 'invalid appid');
  if (q.get('secret') !== expected.secret) return fail(40125, 'invalid appsecret');
  return users.issueToken(appid, now);
}

function userInfo(q: URLSearchParams, users: OaUserRegistry, now: Date): Json {
  const at = q.get('access_token');
  if (!at) return fail(41001, 'access_token missing');
  const check = users.checkToken(at, now);
  if (check.errcode === 42001) return fail(42001, 'access_token expired');
  if (check.errcode !== 0) return fail(40001);
  const user = users.get(q.get('openid') ?? '');
  if (!user) return fail(40003, 'invalid openid');
  return {
    subscribe: user.subscribed ? 1 : 0,
    openid: user.oaOpenid,
    ...(user.subscribed ? { language: 'zh_CN', subscribe_time: Math.floor(now.getTime() / 1000), subscribe_scene: 'ADD_SCENE_QR_CODE', tagid_list: [] } : {}),
    ...(user.unionid ? { unionid: user.unionid } : {}),
  };
}

const HANDLERS: Record<string, (q: URLSearchParams, users: OaUserRegistry, now: Date) => Json> = {
  'cgi-bin/token': token,
  'cgi-bin/user/info': userInfo,
};

// unref: a late answer nobody waits for any more does not keep a closing emulator alive
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * The Official Account HTTP API as a fake WeChat (GET with query parameters, JSON answers):
 * `cgi-bin/token` and `cgi-bin/user/info`. Calls are recorded with the OpenAPI calls (apiName
 * `cgi-bin/user/info`…, the secret masked) and take the faults injected for that apiName.
 */
export async function handleWechatApi(req: IncomingMessage, res: ServerResponse, url: URL, deps: { recorder: OpenApiRecorder; users: OaUserRegistry; now: () => Date }): Promise<void> {
  const apiName = url.pathname.slice(WECHAT_API_PREFIX.length + 1);
  const handler = HANDLERS[apiName];
  if (req.method !== 'GET' || !handler) {
    sendJson(res, 404, fail(-1, `not emulated: ${req.method} ${url.pathname} (only GET cgi-bin/token, cgi-bin/user/info)`));
    return;
  }
  const now = deps.now();
  const seq = deps.recorder.reserveSeq();
  const fault: OpenApiFault | undefined = deps.recorder.takeFault(apiName);
  const answer = fault && 'errcode' in fault ? fail(fault.errcode, fault.errmsg ?? errmsgFor(fault.errcode)) : handler(url.searchParams, deps.users, now);
  const params = Object.fromEntries([...url.searchParams].map(([k, v]) => [k, k === 'secret' ? '***' : v]));
  const openid = url.searchParams.get('openid') ?? '';
  const appid = url.searchParams.get('appid') ?? emulatorOaCredentials().appId;
  const errcode = typeof answer.errcode === 'number' ? answer.errcode : 0;
  deps.recorder.record({ seq, apiName, appid, openid, params, outcome: { errcode, errmsg: typeof answer.errmsg === 'string' ? answer.errmsg : 'ok', response: answer }, fault });
  if (fault && 'delayMs' in fault) await sleep(fault.delayMs);
  if (res.destroyed || res.writableEnded) return;
  sendJson(res, 200, answer);
}
