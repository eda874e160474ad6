import { createHash, timingSafeEqual } from 'node:crypto';
import type { EventPayload, EventType } from '../events';

/**
 * Official Account callbacks: the platform's token signature (sha1 of token, timestamp and nonce,
 * sorted and concatenated) and the flat XML it posts. The parser accepts exactly that shape:
 * `<xml>` holding elements with text or one CDATA section, no attributes, no nesting beyond one
 * level (ScanCodeInfo-like children are skipped as unknown), anything else → null.
 */
export function oaSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

export function verifyOaSignature(token: string, q: { signature?: string; timestamp?: string; nonce?: string }): boolean {
  if (!token || !q.signature || !q.timestamp || !q.nonce) return false;
  const expected = Buffer.from(oaSignature(token, q.timestamp, q.nonce));
  const given = Buffer.from(q.signature.toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const NAME = (c: string) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '_';
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function unescapeText(s: string): string | null {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '<') return null;
    if (c !== '&') {
      out += c;
      continue;
    }
    const end = s.indexOf(';', i);
    const ent = end < 0 ? undefined : ENTITIES[s.slice(i + 1, end)];
    if (ent === undefined) return null;
    out += ent;
    i = end;
  }
  return out;
}

/** Parses `<xml><A>text</A><B><![CDATA[text]]></B>…</xml>` into a flat record; null when malformed. */
export function parseFlatXml(input: string, maxLength = 16_384): Record<string, string> | null {
  if (input.length > maxLength) return null;
  const s = input.trim();
  if (!s.startsWith('<xml>') || !s.endsWith('</xml>')) return null;
  let i = 5;
  const end = s.length - 6;
  const out: Record<string, string> = {};
  const skipSpace = () => {
    while (i < end && ' \t\r\n'.includes(s[i] as string)) i++;
  };
  skipSpace();
  while (i < end) {
    if (s[i] !== '<') return null;
    let j = i + 1;
    while (j < end && NAME(s[j] as string)) j++;
    const name = s.slice(i + 1, j);
    if (!name || s[j] !== '>') return null;
    const close = `</${name}>`;
    const closeAt = s.indexOf(close, j + 1);
    if (closeAt < 0 || closeAt + close.length > end) return null;
    const inner = s.slice(j + 1, closeAt);
    let value: string | null;
    if (inner.startsWith('<![CDATA[')) {
      if (!inner.endsWith(']]>') || inner.indexOf(']]>') !== inner.length - 3) return null;
      value = inner.slice(9, -3);
    } else value = unescapeText(inner);
    if (value === null || Object.prototype.hasOwnProperty.call(out, name)) return null;
    out[name] = value;
    i = closeAt + close.length;
    skipSpace();
  }
  return out;
}

export type OaEvent =
  | { kind: 'subscribe'; scene: string | null }
  | { kind: 'unsubscribe' }
  | { kind: 'scan'; scene: string }
  | { kind: 'click'; key: string }
  | { kind: 'view'; url: string }
  /** A text message the follower sent (a survey answer, a question for customer service). */
  | { kind: 'text'; content: string; msgId: string | null };

/**
 * The event each callback becomes in `events`: the names journeys trigger on and the messaging
 * side reads as Official Account interactions (the 48-hour customer-service window).
 */
export const OA_EVENT_TYPES = {
  subscribe: 'oa.subscribed',
  unsubscribe: 'oa.unsubscribed',
  scan: 'oa.scanned',
  click: 'oa.menu_clicked',
  view: 'oa.menu_viewed',
  text: 'oa.message',
} as const satisfies Record<OaEvent['kind'], EventType>;

type OaEventType = (typeof OA_EVENT_TYPES)[OaEvent['kind']];

/** What the event keeps of a callback: a text's length, never its content (it may hold anything). */
export function oaEventData(e: OaEvent): EventPayload<OaEventType> {
  if (e.kind === 'text') return { msgId: e.msgId, length: [...e.content].length };
  const { kind: _k, ...detail } = e;
  void _k;
  return detail;
}

export interface OaMessage {
  oaOpenid: string;
  unionid: string | null;
  createdAt: Date;
  event: OaEvent;
}

/** The meaning of a parsed callback, or null when it is not one of the events we keep. */
export function readOaMessage(x: Record<string, string>): OaMessage | null {
  const oaOpenid = x.FromUserName;
  const created = Number(x.CreateTime);
  if (!oaOpenid || !/^[A-Za-z0-9_-]{1,64}$/.test(oaOpenid) || !Number.isSafeInteger(created)) return null;
  const unionid = x.UnionId && /^[A-Za-z0-9_-]{1,64}$/.test(x.UnionId) ? x.UnionId : null;
  if (x.MsgType === 'text') {
    const text: OaEvent | null = x.Content ? { kind: 'text', content: x.Content, msgId: x.MsgId ?? null } : null;
    return text ? { oaOpenid, unionid, createdAt: new Date(created * 1000), event: text } : null;
  }
  if (x.MsgType !== 'event') return null;
  const key = x.EventKey ?? '';
  let event: OaEvent | null = null;
  switch (x.Event) {
    case 'subscribe':
      event = { kind: 'subscribe', scene: key.startsWith('qrscene_') ? key.slice(8) : null };
      break;
    case 'unsubscribe':
      event = { kind: 'unsubscribe' };
      break;
    case 'SCAN':
      event = key ? { kind: 'scan', scene: key } : null;
      break;
    case 'CLICK':
      event = key ? { kind: 'click', key } : null;
      break;
    case 'VIEW':
      event = key ? { kind: 'view', url: key } : null;
      break;
  }
  return event ? { oaOpenid, unionid, createdAt: new Date(created * 1000), event } : null;
}
