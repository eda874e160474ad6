import type { Condition, Step } from '../../core/journeys';

/** A part of a group; an inner group of several parts is bracketed, so "(A 或 B) 且 C" reads as it runs. */
const partText = (c: Condition): string =>
  (c.type === 'all' || c.type === 'any') && c.of.length > 1 ? `（${conditionText(c)}）` : conditionText(c);

/** A condition in a few words, for the simulator's "why" (zh first: the admin reads it). */
export function conditionText(c: Condition): string {
  switch (c.type) {
    case 'eventWithin':
      return `${c.within} 内有 ${c.event}`;
    case 'attribute':
      return `${c.source === 'trigger' ? '事件' : '会员'}.${c.name} ${c.op} ${JSON.stringify(c.value ?? null)}`;
    case 'language':
      return `语言 = ${c.is}`;
    case 'productCategory':
      return `品类含 ${c.is}`;
    case 'activeWithin':
      return `${c.within} 内与公众号互动`;
    case 'inSegment':
      return `在分群 ${c.segmentId}`;
    case 'tag':
      return `有标签 ${c.has}`;
    case 'stage':
      return `阶段 ∈ ${c.in.join('/')}`;
    case 'tier':
      return `等级 ∈ ${c.in.join('/')}`;
    case 'consent':
      return `已订阅 ${c.template}`;
    case 'all':
      return c.of.map(partText).join(' 且 ');
    case 'any':
      return c.of.map(partText).join(' 或 ');
    case 'not':
      return `非（${conditionText(c.of)}）`;
    default: {
      const unknown: never = c;
      return String((unknown as { type?: unknown }).type);
    }
  }
}

/** What a step would do, in a few words. */
export function stepText(s: Step): string {
  switch (s.type) {
    case 'wait':
      return `等待 ${s.duration}`;
    case 'waitUntil':
      return `等到 ${s.time}`;
    case 'waitForEvent':
      return `等待 ${s.event}（最多 ${s.timeout}）`;
    case 'branch':
      return conditionText(s.condition);
    case 'send':
      return `${s.channel}:${s.template}`;
    case 'tag':
      return `${s.op === 'add' ? '+' : '−'}${s.tag}`;
    case 'grantCoupon':
      return `券 ${s.templateId}`;
    case 'points':
      return `+${s.amount} 积分`;
    case 'webhook':
      return new URL(s.url).host;
    case 'exit':
      return `退出 ${s.reason}`;
    default: {
      const unknown: never = s;
      return String((unknown as { type?: unknown }).type);
    }
  }
}
