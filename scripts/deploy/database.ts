import type { CollectionDeclaration } from '../../server/db/schema';

/**
 * The one-time database set-up, as data: for each declared collection, create it if missing,
 * create each index that is missing by name, and set its security rule. Every step checks first,
 * so running it again changes nothing.
 */
export type AclTag = 'ADMINONLY' | 'ADMINWRITE' | 'CUSTOM';

export interface SecurityRule {
  /** CloudBase permission tag: ADMINONLY = only cloud functions read and write; ADMINWRITE = clients read, only cloud functions write. */
  aclTag: AclTag;
  /** The custom rule (ModifySafeRule `Rule`), only for CUSTOM. */
  rule?: { read: boolean; write: boolean };
  clientRead: boolean;
  clientWrite: boolean;
}

export function securityRuleOf(access: CollectionDeclaration['clientAccess']): SecurityRule {
  const base = { clientRead: access.read, clientWrite: access.write };
  if (!access.write && !access.read) return { ...base, aclTag: 'ADMINONLY' };
  if (!access.write) return { ...base, aclTag: 'ADMINWRITE' };
  return { ...base, aclTag: 'CUSTOM', rule: { read: access.read, write: access.write } };
}

export interface PlannedIndex {
  name: string;
  fields: string[];
  unique: boolean;
}

export interface PlannedCollection {
  name: string;
  indexes: PlannedIndex[];
  security: SecurityRule;
}

export function planDatabase(collections: readonly CollectionDeclaration[]): PlannedCollection[] {
  return collections.map((c) => ({
    name: c.name,
    indexes: c.indexes.map((ix) => ({ name: ix.name, fields: [...ix.fields], unique: !!ix.unique })),
    security: securityRuleOf(c.clientAccess),
  }));
}

/** The manager-node `updateCollection` payload creating the given indexes (ascending keys). */
export const createIndexesPayload = (indexes: readonly PlannedIndex[]) => ({
  CreateIndexes: indexes.map((ix) => ({
    IndexName: ix.name,
    MgoKeySchema: { MgoIndexKeys: ix.fields.map((f) => ({ Name: f, Direction: '1' })), MgoIsUnique: ix.unique },
  })),
});

export const DATABASE_SETUP_STEPS = [
  'create each collection that does not exist (createCollectionIfNotExists)',
  'create each declared index whose name is missing (checkIndexExists, then updateCollection CreateIndexes); an existing index is never altered — to change its fields, give it a new name',
  "set each collection's security rule (ModifySafeRule): ADMINONLY for value collections, ADMINWRITE for brand set-up clients may read",
] as const;
