import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../http/io';
import { customerServiceMessageSend, templateMessageSend } from './apis';
import { errmsgFor, type OpenApiFault, type OpenApiRecorder } from './recorder';
import { emulatorOaCredentials, type OaUserRegistry } from './oa-users';

/** `<emulator>/wechat-api` stands for https://api.weixin.qq.com: function instances get it as WECHAT_API_BASE. */
export const WECHAT_API_PREFIX = '/wechat-api';

type Json = Record<string, unknown>;
const fail = (errcode: number, errmsg = errmsgFor(errcode)): Json => ({ errcode, errmsg });
const APPID = /^wx[0-9a-f]{16}$/;
const MAX_BODY = 64 * 1024;

interface Call {
  /** query parameters (GET) or the JSON body (POST) */
  params: Json;
  query: URLSearchParams;
  users: OaUserRegistry;
  now: Date;
  seq: number;
}

function token({ query: q, users, now }: Call): Json {
  if (q.get('grant_type') !== 'client_credential') return fail(40002, 'invalid grant_type');
  const appid = q.get('appid') ?? '';
  const expected = emulatorOaCredentials();
  if (!APPID.test(appid) || appid !== expected.appId) return fail(40013, 'invalid appid');
  if (q.get('secret') !== expected.secret) return fail(40125, 'invalid appsecret');
  return users.issueToken(appid, now);
}

/** The access token check every API but `cgi-bin/token` starts with: an errcode answer, or null when it passes. */
function tokenRefusal({ query, users, now }: Call): Json | null {
  const at = query.get('access_token');
  if (!at) return fail(41001, 'access_token missing');
  const check = users.checkToken(at, now);
  if (check.errcode === 42001) return fail(42001, 'access_token expired');
  if (check.errcode !== 0) return fail(40001);
  return null;
}

function userInfo(c: Call): Json {
  const user = c.users.get(c.query.get('openid') ?? '');
  if (!user) return fail(40003, 'invalid openid');
  return {
    subscribe: user.subscribed ? 1 : 0,
    openid: user.oaOpenid,
    ...(user.subscribed
      ? {
          language: 'zh_CN',
          subscribe_time: Math.floor(c.now.getTime() / 1000),
          subscribe_scene: 'ADD_SCENE_QR_CODE',
          tagid_list: [],
        }
      : {}),
    ...(user.unionid ? { unionid: user.unionid } : {}),
  };
}

/** Messages to someone the registry knows stopped following are refused (43004); anyone else is taken as a follower. */
const message =
  (check: typeof templateMessageSend) =>
  (c: Call): Json => {
    const user = c.users.get(String(c.params['touser'] ?? ''));
    if (user && !user.subscribed) return fail(43004, 'require subscribe');
    const answer = check(c.params, { appid: emulatorOaCredentials().appId, openid: '', now: c.now, seq: c.seq });
    return 'json' in answer ? answer.json : fail(-1);
  };

interface Api {
  method: 'GET' | 'POST';
  answer: (c: Call) => Json;
  /** false only for `cgi-bin/token`, which is how a token is had */
  needsToken: boolean;
}

const APIS: Record<string, Api> = {
  'cgi-bin/token': { method: 'GET', answer: token, needsToken: false },
  'cgi-bin/user/info': { method: 'GET', answer: userInfo, needsToken: true },
  'cgi-bin/message/template/send': { method: 'POST', answer: message(templateMessageSend), needsToken: true },
  'cgi-bin/message/custom/send': { method: 'POST', answer: message(customerServiceMessageSend), needsToken: true },
};

const TEMPLATE_SEND = 'cgi-bin/message/template/send';
/** template/send: "同一个 openid + client_msg_id 只发送一条消息，10 分钟有效". */
const CLIENT_MSG_ID_WINDOW_MS = 10 * 60_000;

/** A template message repeating a `client_msg_id` within WeChat's window: the first answer again, nothing delivered. */
function repeatOf(recorder: OpenApiRecorder, openid: string, params: Json, answer: Json): Json | null {
  const id = params['client_msg_id'];
  if (typeof id !== 'string' || !id) return null;
  return recorder.repeatOf(`${openid}\n${id}`, answer, CLIENT_MSG_ID_WINDOW_MS) as Json | null;
}

// unref: a late answer nobody waits for any more does not keep a closing emulator alive
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

async function paramsOf(req: IncomingMessage, api: Api, query: URLSearchParams): Promise<Json | null> {
  if (api.method === 'GET') return Object.fromEntries([...query].map(([k, v]) => [k, k === 'secret' ? '***' : v]));
  try {
    const body = JSON.parse((await readBody(req, MAX_BODY)).toString('utf8')) as unknown;
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as Json) : null;
  } catch {
    return null;
  }
}

/**
 * The Official Account HTTP API as a fake WeChat (JSON answers): GET `cgi-bin/token` and
 * `cgi-bin/user/info`, POST `cgi-bin/message/template/send` and `cgi-bin/message/custom/send`.
 * Calls are recorded with the OpenAPI calls (apiName `cgi-bin/user/info`…, the secret masked) and
 * take the faults injected for that apiName.
 */
export async function handleWechatApi(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: { recorder: OpenApiRecorder; users: OaUserRegistry; now: () => Date },
): Promise<void> {
  const apiName = url.pathname.slice(WECHAT_API_PREFIX.length + 1);
  const api = Object.hasOwn(APIS, apiName) ? APIS[apiName] : undefined;
  if (!api || req.method !== api.method) {
    sendJson(
      res,
      404,
      fail(
        -1,
        `not emulated: ${req.method} ${url.pathname} (${Object.entries(APIS)
          .map(([name, a]) => `${a.method} ${name}`)
          .join(', ')})`,
      ),
    );
    return;
  }
  const params = await paramsOf(req, api, url.searchParams);
  if (!params) {
    sendJson(res, 200, fail(47001, 'data format error'));
    return;
  }
  const now = deps.now();
  const seq = deps.recorder.reserveSeq();
  const call: Call = { params, query: url.searchParams, users: deps.users, now, seq };
  const fault: OpenApiFault | undefined = deps.recorder.takeFault(apiName);
  let answer =
    fault && 'errcode' in fault
      ? fail(fault.errcode, fault.errmsg ?? errmsgFor(fault.errcode))
      : (api.needsToken && tokenRefusal(call)) || api.answer(call);
  const openid = String(params['touser'] ?? url.searchParams.get('openid') ?? '');
  const appid = url.searchParams.get('appid') ?? emulatorOaCredentials().appId;
  const errcode = typeof answer.errcode === 'number' ? answer.errcode : 0;
  const repeat = errcode === 0 && apiName === TEMPLATE_SEND ? repeatOf(deps.recorder, openid, params, answer) : null;
  if (repeat) answer = repeat;
  const outcome = { errcode, errmsg: typeof answer.errmsg === 'string' ? answer.errmsg : 'ok', response: answer };
  deps.recorder.record({
    seq,
    apiName,
    appid,
    openid,
    params,
    outcome,
    fault,
    ...(repeat ? { duplicate: true as const } : {}),
  });
  if (fault && 'delayMs' in fault) await sleep(fault.delayMs);
  if (res.destroyed || res.writableEnded) return;
  sendJson(res, 200, answer);
}
