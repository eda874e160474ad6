/**
 * Every collection the product uses, with its indexes and what Mini Program clients may do
 * directly. The emulator applies this at start; `npm run deploy` creates the same in CloudBase.
 * Value collections are never writable by clients: every change goes through a cloud function.
 */
export interface IndexDeclaration {
  name: string;
  fields: string[];
  unique?: boolean;
}

export interface CollectionDeclaration {
  name: string;
  indexes: IndexDeclaration[];
  clientAccess: { read: boolean; write: boolean };
}

const closed = { read: false, write: false };

export const collections: CollectionDeclaration[] = [
  {
    name: 'members',
    indexes: [
      { name: 'cardNo_unique', fields: ['cardNo'], unique: true },
      { name: 'state_createdAt', fields: ['state'] },
    ],
    clientAccess: closed,
  },
  {
    // _id is `${type}:${value}`, so one identity belongs to one member by construction
    name: 'identities',
    indexes: [{ name: 'memberId', fields: ['memberId'] }],
    clientAccess: closed,
  },
  {
    name: 'events',
    indexes: [
      { name: 'memberId', fields: ['memberId'] },
      { name: 'type', fields: ['type'] },
    ],
    clientAccess: closed,
  },
  { name: 'idempotency', indexes: [], clientAccess: closed },
  // brand set-up: readable by the Mini Program, changed only through staff actions
  { name: 'brand', indexes: [], clientAccess: { read: true, write: false } },
  { name: 'stores', indexes: [], clientAccess: { read: true, write: false } },
  { name: 'staff', indexes: [{ name: 'openid_unique', fields: ['openid'], unique: true }], clientAccess: closed },
  { name: 'coupon_templates', indexes: [], clientAccess: { read: true, write: false } },
];

export const collectionNames = collections.map((c) => c.name);
