import { randomUUID } from 'node:crypto';
import type { EventPayload, EventType } from '../../core/events';
import type { Tx } from './transaction';

/**
 * Domain events (`member.joined`, `order.paid`, …): written in the same transaction as the change
 * they report. The type and its payload come from the catalogue (`core/events`).
 */
export type DomainEvent<T extends EventType = EventType> = {
  [K in T]: { type: K; memberId?: string; at: Date; data?: EventPayload<K> };
}[T];

// randomUUID draws from a cached pool of random bytes: a fresh randomBytes call per event cost more
export const eventId = (): string => `ev_${randomUUID().replace(/-/g, '')}`;

export async function emit<T extends EventType>(tx: Tx, event: DomainEvent<T>): Promise<string> {
  const _id = eventId();
  await tx.collection('events').add({ data: { _id, ...event, data: event.data ?? {} } });
  return _id;
}
