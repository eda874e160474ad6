import { randomBytes } from 'node:crypto';
import type { Tx } from './transaction';

/** Domain events (`member.joined`, `order.paid`, …): written in the same transaction as the change they report. */
export interface DomainEvent {
  type: string;
  memberId?: string;
  at: Date;
  data?: Record<string, unknown>;
}

export const eventId = (): string => `ev_${randomBytes(10).toString('hex')}`;

export async function emit(tx: Tx, event: DomainEvent): Promise<string> {
  const _id = eventId();
  await tx.collection('events').add({ data: { _id, ...event, data: event.data ?? {} } });
  return _id;
}
