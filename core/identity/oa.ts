import { createHash, timingSafeEqual } from 'node:crypto';
import type { EventPayload, EventType } from '../events';

/**
 * Official Account callbacks: the platform's token signature (sha1 of token, timestamp and nonce,
 * sorted and concatenated), and what a message parsed from its flat XML (server/oa/xml.ts) means.
 */
export function oaSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

export function verifyOaSignature(
  token: string,
  q: { signature?: string; timestamp?: string; nonce?: string },
): boolean {
  if (!token || !q.signature || !q.timestamp || !q.nonce) return false;
  const expected = Buffer.from(oaSignature(token, q.timestamp, q.nonce));
  const given = Buffer.from(q.signature.toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
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
