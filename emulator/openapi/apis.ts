import { createHash } from 'node:crypto';
import QRCode from 'qrcode';

/** A WeChat JSON body (always with errcode/errmsg) or binary bytes such as a wxacode PNG. */
export type OpenApiAnswer =
  { json: { errcode: number; errmsg: string } & Record<string, unknown> } | { contentType: string; bytes: Buffer };

export interface OpenApiCallContext {
  appid: string;
  /** the invoking function's OpenID, if known */
  openid: string;
  now: Date;
  /** the recorder's sequence number for this call (stable ids such as msgid derive from it) */
  seq: number;
}

export type OpenApiHandler = (
  params: Record<string, unknown>,
  ctx: OpenApiCallContext,
) => OpenApiAnswer | Promise<OpenApiAnswer>;

const ok = (extra: Record<string, unknown> = {}): OpenApiAnswer => ({ json: { errcode: 0, errmsg: 'ok', ...extra } });
const fail = (errcode: number, errmsg: string): OpenApiAnswer => ({ json: { errcode, errmsg } });
const invalid = (what: string) => fail(47003, `argument invalid! ${what}`);

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const chars = (s: string) => [...s].length;

/** Subscribe-message value limits by keyword type (thing1 → thing): the usual cause of 47003 in production. */
const SUBSCRIBE_VALUE_LIMITS: Record<string, number> = {
  thing: 20,
  character_string: 32,
  number: 32,
  letter: 32,
  symbol: 5,
  phrase: 5,
  name: 10,
  phone_number: 17,
  car_number: 8,
};

function checkSubscribeData(data: Record<string, unknown>): string | undefined {
  const entries = Object.entries(data);
  if (entries.length === 0) return 'data is empty';
  for (const [key, item] of entries) {
    if (!isObject(item) || item.value === undefined || item.value === null || item.value === '')
      return `data.${key}.value is empty`;
    const limit = SUBSCRIBE_VALUE_LIMITS[key.replace(/\d+$/, '')];
    if (limit !== undefined && chars(String(item.value)) > limit) return `data.${key}.value exceeds limit ${limit}`;
  }
  return undefined;
}

const subscribeMessageSend: OpenApiHandler = (p) => {
  if (!text(p.touser)) return invalid('touser is empty');
  if (!text(p.template_id)) return invalid('template_id is empty');
  if (!isObject(p.data)) return invalid('data is empty');
  const problem = checkSubscribeData(p.data);
  if (problem) return invalid(problem);
  if (p.miniprogram_state !== undefined && !['developer', 'trial', 'formal'].includes(String(p.miniprogram_state))) {
    return invalid('miniprogram_state must be developer, trial or formal');
  }
  return ok();
};

/** WeChat's rule for `scene`: at most 32 visible characters from this set. */
const SCENE_CHARS = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]*$/;

interface QrStyle {
  width?: unknown;
  line_color?: unknown;
  is_hyaline?: unknown;
}

function hexColor(c: unknown): string {
  if (!isObject(c)) return '#000000ff';
  const part = (v: unknown) =>
    Math.max(0, Math.min(255, Number(v) || 0))
      .toString(16)
      .padStart(2, '0');
  return `#${part(c.r)}${part(c.g)}${part(c.b)}ff`;
}

/** pngjs's default adaptive row filter costs ~1.5 s per image under jest; a flat two-colour image loses nothing without it. */
const PNG_OPTIONS = { filterType: 0, deflateLevel: 9 };

/** A real, scannable PNG QR code of `content`, sized and coloured like the request asks. */
async function qrPng(content: string, style: QrStyle): Promise<OpenApiAnswer> {
  const width = Math.max(280, Math.min(1280, Number(style.width) || 430));
  const bytes = await QRCode.toBuffer(content, {
    type: 'png',
    width,
    margin: 2,
    rendererOpts: PNG_OPTIONS,
    color: { dark: hexColor(style.line_color), light: style.is_hyaline === true ? '#00000000' : '#ffffffff' },
  });
  return { contentType: 'image/png', bytes };
}

const wxacodeGetUnlimited: OpenApiHandler = async (p) => {
  const scene = typeof p.scene === 'string' ? p.scene : '';
  if (scene.length === 0 || chars(scene) > 32) return fail(40169, 'invalid length for scene');
  if (!SCENE_CHARS.test(scene)) return fail(40169, "invalid scene: use 0-9 a-z A-Z and !#$&'()*+,/:;=?@-._~ only");
  const page = p.page === undefined ? 'pages/index/index' : String(p.page);
  if (page.startsWith('/') || page.includes('?'))
    return fail(41030, 'invalid page: no leading "/" and no query string');
  if (p.env_version !== undefined && !['release', 'trial', 'develop'].includes(String(p.env_version)))
    return invalid('env_version');
  // the Mini Program receives scene URL-encoded (options.scene → decodeURIComponent)
  return qrPng(`${page}?scene=${encodeURIComponent(scene)}`, p);
};

const qrForPath =
  (maxLength: number): OpenApiHandler =>
  async (p) => {
    const path = typeof p.path === 'string' ? p.path : '';
    if (path.length === 0 || Buffer.byteLength(path) > maxLength)
      return fail(40159, 'invalid length for path, or the data is not json string');
    return qrPng(path, p);
  };

/** `phone:13800138000` gives that number; any other code a stable fake 1380000xxxx. */
export function phoneForCode(code: string): string {
  const explicit = /^phone:(\d{5,15})$/.exec(code);
  if (explicit?.[1]) return explicit[1];
  const n = createHash('sha256').update(code).digest().readUInt32BE(0) % 10_000;
  return `1380000${String(n).padStart(4, '0')}`;
}

const getPhoneNumber: OpenApiHandler = (p, ctx) => {
  const code = typeof p.code === 'string' ? p.code : '';
  if (code === '' || code === 'invalid') return fail(40029, 'invalid code');
  const phone = phoneForCode(code);
  return ok({
    phone_info: {
      phoneNumber: phone,
      purePhoneNumber: phone,
      countryCode: '86',
      watermark: { appid: ctx.appid, timestamp: Math.floor(ctx.now.getTime() / 1000) },
    },
  });
};

/** The fake content filter: a few words that make any content risky, with the v2 label they carry. */
export const BANNED_WORDS: Record<string, number> = {
  赌博: 20006,
  毒品: 20006,
  色情: 20002,
  代开发票: 20008,
  傻逼: 20003,
};

const msgSecCheck: OpenApiHandler = (p, ctx) => {
  const content = typeof p.content === 'string' ? p.content : undefined;
  if (content === undefined) return invalid('content is empty');
  const hit = Object.keys(BANNED_WORDS).find((w) => content.includes(w));
  if (Number(p.version) !== 2) return hit ? fail(87014, 'risky content') : ok();
  // v2 never fails on content: it reports a suggestion and a label instead
  if (!text(p.openid)) return invalid('openid is empty');
  const label = hit ? (BANNED_WORDS[hit] as number) : 100;
  const suggest = hit ? 'risky' : 'pass';
  return ok({
    result: { suggest, label },
    detail: [{ strategy: 'keyword', errcode: 0, suggest, label, ...(hit ? { keyword: hit } : {}) }],
    trace_id: `trace-${ctx.seq}`,
  });
};

const CUSTOMER_SERVICE_TYPES = ['text', 'image', 'link', 'miniprogrampage'];

export const customerServiceMessageSend: OpenApiHandler = (p) => {
  if (!text(p.touser)) return invalid('touser is empty');
  const type = String(p.msgtype ?? '');
  if (!CUSTOMER_SERVICE_TYPES.includes(type))
    return invalid(`msgtype must be one of ${CUSTOMER_SERVICE_TYPES.join(', ')}`);
  const body = p[type];
  if (!isObject(body)) return invalid(`${type} is empty`);
  if (type === 'text' && !text(body.content)) return invalid('text.content is empty');
  return ok();
};

/** Official Account template message (the brand's service account). */
export const templateMessageSend: OpenApiHandler = (p, ctx) => {
  if (!text(p.touser)) return invalid('touser is empty');
  if (!text(p.template_id)) return fail(40037, 'invalid template_id');
  return ok({ msgid: 2_000_000_000 + ctx.seq });
};

/** apiName (the dotted path after `cloud.openapi.`) → the fake WeChat's answer. Adding an API is one line. */
export const openApiHandlers: Record<string, OpenApiHandler> = {
  'subscribeMessage.send': subscribeMessageSend,
  'wxacode.getUnlimited': wxacodeGetUnlimited,
  'wxacode.get': qrForPath(1024),
  'wxacode.createQRCode': qrForPath(128),
  'phonenumber.getPhoneNumber': getPhoneNumber,
  'security.msgSecCheck': msgSecCheck,
  'uniformMessage.send': () => fail(45109, 'uniformMessage.send has been withdrawn: use subscribeMessage.send'),
  'customerServiceMessage.send': customerServiceMessageSend,
  'templateMessage.send': templateMessageSend,
};

/** The answer for any apiName; one the table does not know gets the platform's "API not found" (-604100). */
export async function answerOpenApi(
  apiName: string,
  params: Record<string, unknown>,
  ctx: OpenApiCallContext,
): Promise<OpenApiAnswer> {
  const handler = Object.hasOwn(openApiHandlers, apiName) ? openApiHandlers[apiName] : undefined;
  if (!handler) return fail(-604100, `API not found: ${apiName}`);
  return handler(params, ctx);
}
