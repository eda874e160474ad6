import type { IncomingMessage, ServerResponse } from 'node:http';
import { TcbCodes, TcbError } from '../db/errors';
import { sendTcbError } from '../http/io';
import { answerOpenApi, type OpenApiAnswer } from './apis';
import { readMultipart, type MultipartLimits } from './multipart';
import { decodeCommApiData, encodeBinaryResp, encodeJsonResp, type OpenApiRequest } from './protocol';
import { errmsgFor, type OpenApiFault, type OpenApiOutcome, type OpenApiRecorder } from './recorder';

export { OpenApiRecorder } from './recorder';
export type { OpenApiCall } from './recorder';
export { phoneForCode } from './apis';
export {
  decodeCommApiData,
  encodeCommApiData,
  decodeCommOpenApiResp,
  encodeJsonResp,
  encodeBinaryResp,
} from './protocol';
export { handleWechatApi, WECHAT_API_PREFIX } from './wechat-api';
export { oaUsersOf, emulatorOaCredentials, EMULATOR_OA_APP_ID } from './oa-users';

/** Who is calling: the invoking function's user and Mini Program, and (optionally) the APIs its config.json allows. */
export interface OpenApiCaller {
  openid?: string;
  appid?: string;
  /** `permissions.openapi` from the function's config.json; when given, other APIs answer -604101 */
  openapiPermissions?: string[];
}

export interface OpenApiDeps {
  recorder: OpenApiRecorder;
  now: () => Date;
  /** a fixed caller (tests, or an emulator with one Mini Program) */
  context?: OpenApiCaller;
  /** the caller behind the body's `wxCloudApiToken` (one per function invocation); wins over `context` */
  callerFromToken?: (token: string) => OpenApiCaller | undefined;
  limits?: MultipartLimits;
}

const MULTIPART_ACTION = 'wx.openApi';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function readOpenApiRequest(
  req: IncomingMessage,
  limits?: MultipartLimits,
): Promise<{ request: OpenApiRequest; token: string }> {
  const { fields, files } = await readMultipart(req, limits);
  if (fields.action !== undefined && fields.action !== MULTIPART_ACTION) {
    throw new TcbError(
      TcbCodes.action,
      `multipart action "${fields.action}" is not emulated (only ${MULTIPART_ACTION})`,
    );
  }
  const apiName = fields.apiName ?? '';
  if (!apiName) throw new TcbError(TcbCodes.invalidParam, 'apiName is missing');
  const bytes = files.requestData;
  if (!bytes)
    throw new TcbError(TcbCodes.invalidParam, 'requestData is missing (expected an application/octet-stream part)');
  let request: OpenApiRequest;
  try {
    request = decodeCommApiData(apiName, bytes);
  } catch (e) {
    throw new TcbError(TcbCodes.invalidParam, `requestData is not a CommApiData protobuf: ${(e as Error).message}`);
  }
  return { request, token: fields.wxCloudApiToken ?? '' };
}

function outcomeOf(answer: OpenApiAnswer): OpenApiOutcome {
  if ('json' in answer) return { errcode: answer.json.errcode, errmsg: answer.json.errmsg, response: answer.json };
  return { contentType: answer.contentType, bytes: answer.bytes.length, base64: answer.bytes.toString('base64') };
}

async function answerFor(
  request: OpenApiRequest,
  caller: OpenApiCaller | undefined,
  fault: OpenApiFault | undefined,
  ctx: Parameters<typeof answerOpenApi>[2],
): Promise<OpenApiAnswer> {
  if (fault && 'errcode' in fault)
    return { json: { errcode: fault.errcode, errmsg: fault.errmsg ?? errmsgFor(fault.errcode) } };
  if (request.apiType !== 'OPEN_API')
    return {
      json: { errcode: -604100, errmsg: `API not found: ${request.apiName} (${request.apiType} is not emulated)` },
    };
  if (caller?.openapiPermissions && !caller.openapiPermissions.includes(request.apiName)) {
    return {
      json: {
        errcode: -604101,
        errmsg: `function has no permission to call this API: ${request.apiName} is not in config.json permissions.openapi`,
      },
    };
  }
  try {
    return await answerOpenApi(request.apiName, request.params, ctx);
  } catch (e) {
    return { json: { errcode: -1, errmsg: `system error: ${(e as Error).message}` } };
  }
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/**
 * Answers `cloud.openapi.*` (multipart POST to serviceUrl, docs/emulator-wire.md#openapi): a protobuf
 * CommOpenApiResp as application/octet-stream, never `application/json; charset=utf-8`, which the SDK
 * reserves for the TCB JSON error channel used here for malformed requests.
 */
export async function handleOpenApi(req: IncomingMessage, res: ServerResponse, deps: OpenApiDeps): Promise<void> {
  let parsed: { request: OpenApiRequest; token: string };
  try {
    parsed = await readOpenApiRequest(req, deps.limits);
  } catch (e) {
    sendTcbError(res, e);
    return;
  }
  const { request, token } = parsed;
  const caller = (token && deps.callerFromToken?.(token)) || deps.context;
  const seq = deps.recorder.reserveSeq();
  const fault = deps.recorder.takeFault(request.apiName);
  const openid = str(request.params.touser) ?? str(request.params.openid) ?? caller?.openid ?? '';
  const appid = request.appid || caller?.appid || '';
  const answer = await answerFor(request, caller, fault, { appid, openid: caller?.openid ?? '', now: deps.now(), seq });
  deps.recorder.record({
    seq,
    apiName: request.apiName,
    appid,
    openid,
    params: request.params,
    outcome: outcomeOf(answer),
    fault,
  });

  if (fault && 'delayMs' in fault) await sleep(fault.delayMs);
  if (res.destroyed || res.writableEnded) return; // the SDK gave up (timeout) while we were late
  const body = 'json' in answer ? encodeJsonResp(answer.json) : encodeBinaryResp(answer.bytes, answer.contentType);
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
  res.end(body);
}
