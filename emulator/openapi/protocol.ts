import { parse, type Type } from 'protobufjs';

/** The wx.openApi protobuf schema as rebuilt in docs/emulator-wire.md#openapi-schema (proto3, nothing required). */
const SCHEMA = `
syntax = "proto3";
message KeyValuePair { string key = 1; bytes value = 2; string contenttype = 3; string filename = 4; }
message OpenApiData { repeated KeyValuePair pairs = 1; }
message TokenApiData { string resourceAppid = 1; string resourceEnv = 2; }
message InnerApiData { uint32 modid = 1; uint32 cmdid = 2; string url = 3; bool useHttps = 4; int32 method = 5; repeated string headers = 6; bytes body = 7; }
message SvrkitApiData { string apiName = 1; bytes reqData = 2; }
message CommApiData {
  enum ApiType { OPEN_API = 0; INNER_API = 1; SVRKIT_API = 2; TOKEN_API = 3; }
  ApiType apiType = 1; OpenApiData openapiData = 2; InnerApiData innerData = 3;
  SvrkitApiData svrkitData = 4; TokenApiData tokenData = 5; string appid = 6;
}
message HttpHeader { string key = 1; string value = 2; }
message CommOpenApiResp {
  bytes respData = 1; string contentType = 2; int32 errorCode = 3; uint32 httpCode = 4;
  repeated HttpHeader headers = 5; int32 svrkitErrorCode = 6;
}
`;

const root = parse(SCHEMA, { keepCase: true }).root;
const CommApiData: Type = root.lookupType('CommApiData');
const CommOpenApiResp: Type = root.lookupType('CommOpenApiResp');

export type ApiType = 'OPEN_API' | 'INNER_API' | 'SVRKIT_API' | 'TOKEN_API';

/** A media argument (`{ contentType, value: Buffer }` in the SDK) arrives as raw bytes, not JSON. */
export interface MediaParam {
  contentType: string;
  filename: string;
  base64: string;
}

export interface OpenApiRequest {
  apiName: string;
  apiType: ApiType;
  appid: string;
  /** the WeChat HTTP JSON body: snake_case keys, each pair's value JSON-parsed */
  params: Record<string, unknown>;
}

interface DecodedPair {
  key?: string;
  value?: Uint8Array;
  contenttype?: string;
  filename?: string;
}

function pairValue(pair: DecodedPair): unknown {
  const bytes = Buffer.from(pair.value ?? new Uint8Array());
  if (pair.contenttype)
    return {
      contentType: pair.contenttype,
      filename: pair.filename ?? '',
      base64: bytes.toString('base64'),
    } satisfies MediaParam;
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // cloud.openapi({ convertCase: false }) callers may send anything; keep it readable
  }
}

/** Decodes the `requestData` part; throws on bytes that are not a CommApiData. */
export function decodeCommApiData(apiName: string, bytes: Uint8Array): OpenApiRequest {
  const msg = CommApiData.toObject(CommApiData.decode(bytes), { enums: String, defaults: true }) as {
    apiType: ApiType;
    appid: string;
    openapiData?: { pairs?: DecodedPair[] };
  };
  const params: Record<string, unknown> = {};
  for (const pair of msg.openapiData?.pairs ?? []) {
    if (pair.key) params[pair.key] = pairValue(pair);
  }
  return { apiName, apiType: msg.apiType, appid: msg.appid, params };
}

/** Encodes a CommApiData as the SDK does (for tests and tools that talk to the emulator without the SDK). */
export function encodeCommApiData(params: Record<string, unknown>, appid = ''): Buffer {
  const pairs = Object.entries(params).map(([key, value]) => ({
    key,
    value: Buffer.from(JSON.stringify(value), 'utf8'),
  }));
  return Buffer.from(
    CommApiData.encode(CommApiData.fromObject({ apiType: 0, openapiData: { pairs }, appid })).finish(),
  );
}

/** A WeChat JSON answer (success or business error) wrapped for the SDK. */
export function encodeJsonResp(body: Record<string, unknown>): Buffer {
  return encodeResp(Buffer.from(JSON.stringify(body), 'utf8'), 'application/json');
}

/** A binary answer such as a wxacode image. */
export function encodeBinaryResp(bytes: Uint8Array, contentType: string): Buffer {
  return encodeResp(bytes, contentType);
}

function encodeResp(respData: Uint8Array, contentType: string): Buffer {
  const msg = CommOpenApiResp.fromObject({ respData, contentType, errorCode: 0, httpCode: 200 });
  return Buffer.from(CommOpenApiResp.encode(msg).finish());
}

export interface DecodedResp {
  respData: Buffer;
  contentType: string;
  errorCode: number;
}

export function decodeCommOpenApiResp(bytes: Uint8Array): DecodedResp {
  const msg = CommOpenApiResp.toObject(CommOpenApiResp.decode(bytes), { defaults: true }) as {
    respData: Uint8Array;
    contentType: string;
    errorCode: number;
  };
  return { respData: Buffer.from(msg.respData), contentType: msg.contentType, errorCode: msg.errorCode };
}
