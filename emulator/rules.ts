import { TcbCodes, TcbError } from './db/errors';

/** Who may touch a collection from the Mini Program directly (server SDK calls are never limited). */
export interface ClientAccess {
  read: boolean;
  write: boolean;
}

const READS = new Set(['database.getDocument', 'database.calculateDocument', 'database.aggregateDocuments']);

/**
 * Security rules for client calls: each collection declares whether clients may read or write it.
 * Collections without a declaration are closed to clients, the safe default for value data.
 */
export class SecurityRules {
  private readonly access = new Map<string, ClientAccess>();

  declare(coll: string, access: ClientAccess): void {
    this.access.set(coll, access);
  }

  check(action: string, coll: string, openid: string): void {
    const a = this.access.get(coll);
    const read = READS.has(action);
    if (!a || !(read ? a.read : a.write)) {
      throw new TcbError(
        TcbCodes.permission,
        `Permission denied: clients may not ${read ? 'read' : 'write'} collection ${coll} (user ${openid})`,
      );
    }
  }
}
