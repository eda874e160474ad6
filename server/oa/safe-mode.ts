import type { HttpRequest, HttpResponse } from '../kit/router';
import type { SystemContext } from '../kit/context';
import { parseFlatXml } from './xml';
import { OA_ENCODING_AES_KEY, OA_TOKEN, secretFromEnv } from '../http/secrets';
import { oaAppId } from './config';
import { aesKeyOf, decryptMessage, sealedReplyXml, verifyMsgSignature } from './msg-crypt';

const text = (statusCode: number, body: string): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body,
});

/** The message XML of a callback whose token signature was checked, and how the reply must travel. */
export type OpenedCallback =
  | { xml: string; sealed: false }
  | { xml: string; sealed: true; key: Buffer; appId: string }
  | { refused: HttpResponse };

/**
 * Opens a POSTed callback body. With `encrypt_type=aes` (safe and compatible mode) only the
 * encrypted part counts: its msg_signature, padding and AppID must hold, else the callback is
 * refused (4xx) and nothing is read; a missing EncodingAESKey answers 500, so WeChat retries rather
 * than hear "success" for an event that was dropped. Once the key is configured, plaintext
 * callbacks are refused: their token signature does not cover the body.
 */
export function openCallback(req: HttpRequest, ctx: SystemContext): OpenedCallback {
  const configured = process.env[OA_ENCODING_AES_KEY];
  const key = aesKeyOf(configured);
  const mode = req.query.encrypt_type;
  if (configured && !key) {
    ctx.log.error('oa callback: OA_ENCODING_AES_KEY is not a 43-character EncodingAESKey');
    return { refused: text(500, 'encoding aes key misconfigured') };
  }
  if (mode === undefined || mode === '' || mode === 'raw') {
    if (!key) return { xml: req.body.toString('utf8'), sealed: false };
    ctx.log.warn('oa callback refused: plaintext message while safe mode is configured');
    return { refused: text(401, 'safe mode required') };
  }
  if (mode !== 'aes') return { refused: text(400, 'unknown encrypt_type') };
  if (!key) {
    ctx.log.error('oa callback: encrypted message but OA_ENCODING_AES_KEY is not set');
    return { refused: text(500, 'encoding aes key not configured') };
  }
  const encrypt = parseFlatXml(req.body.toString('utf8'))?.Encrypt;
  const { timestamp = '', nonce = '', msg_signature: signature = '' } = req.query;
  if (!encrypt) return { refused: text(400, 'no Encrypt element') };
  if (!signature || !verifyMsgSignature(secretFromEnv(OA_TOKEN) ?? '', timestamp, nonce, encrypt, signature)) {
    ctx.log.warn('oa callback refused: bad msg_signature');
    return { refused: text(401, 'invalid msg_signature') };
  }
  const appId = oaAppId() ?? '';
  const opened = decryptMessage(key, encrypt, appId);
  if (!opened.ok) {
    ctx.log.warn('oa callback refused: message does not decrypt for this Official Account', { reason: opened.reason });
    return { refused: opened.reason === 'appid' ? text(401, 'wrong appid') : text(400, 'undecryptable message') };
  }
  return { xml: opened.message, sealed: true, key, appId };
}

/** The reply as WeChat must receive it: a passive reply to an encrypted message is encrypted the same way. */
export function sealReply(
  opened: OpenedCallback,
  req: HttpRequest,
  res: HttpResponse,
  ctx: SystemContext,
): HttpResponse {
  const passive = res.statusCode === 200 && res.body !== '' && res.body !== 'success';
  if (!('sealed' in opened) || !opened.sealed || !passive) return res;
  const at = { timestamp: String(Math.floor(ctx.now().getTime() / 1000)), nonce: req.query.nonce ?? '' };
  const body = sealedReplyXml(secretFromEnv(OA_TOKEN) ?? '', opened.key, opened.appId, res.body, at);
  return { statusCode: 200, headers: { 'content-type': 'application/xml; charset=utf-8' }, body };
}
