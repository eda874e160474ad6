import { z } from 'zod';
import type { EmulatedDatabase } from '../db/database';
import { TcbCodes, TcbError } from '../db/errors';
import { decodeWire, encodeDoc, type Doc } from '../db/values';
import type { Q } from '../db/engine';

/** Who is calling: a cloud function (server SDK) or a Mini Program client (client limits apply). */
export interface CallerContext {
  client: boolean;
  openid?: string;
  now: () => Date;
}

export type ActionAnswer = { data?: unknown; transactionId?: string };
type Handler = (
  body: Record<string, unknown>,
  db: EmulatedDatabase,
  caller: CallerContext,
) => Promise<ActionAnswer> | ActionAnswer;

const coll = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, 'collection names use letters, digits, _ and -');
const common = { collectionName: coll, transactionId: z.string().optional() };
const queryType = z.enum(['DOC', 'WHERE']).default('WHERE');

const parse = <T extends z.ZodType>(schema: T, body: unknown): z.output<T> => {
  const r = schema.safeParse(body);
  if (!r.success)
    throw new TcbError(
      TcbCodes.invalidParam,
      r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    );
  return r.data;
};

function asObject(value: unknown, what: string): Q {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new TcbError(TcbCodes.invalidParam, `${what} must be an object`);
  return value as Q;
}

const decode = (text: string | undefined, caller: CallerContext, what: string): Q => {
  try {
    return asObject(decodeWire(text, caller.now), what);
  } catch (e) {
    if (e instanceof TcbError) throw e;
    throw new TcbError(TcbCodes.invalidParam, `${what} is not valid EJSON: ${(e as Error).message}`);
  }
};

const getSchema = z.object({
  ...common,
  query: z.string().optional(),
  queryType,
  order: z.string().optional(),
  offset: z.number().int().min(0).optional(),
  limit: z.number().int().min(0).optional(),
  projection: z.string().optional(),
});
const modifySchema = z.object({
  ...common,
  query: z.string().optional(),
  queryType,
  data: z.string(),
  multi: z.boolean().default(false),
  merge: z.boolean().default(true),
  upsert: z.boolean().default(false),
});
const removeSchema = z.object({
  ...common,
  query: z.string().optional(),
  queryType,
  multi: z.boolean().default(false),
});
// schemas are built once: zod compiles each on first use
const addCollectionSchema = z.object({ collectionName: coll });
const insertSchema = z.object({ ...common, data: z.array(z.string()).min(1) });
const countSchema = z.object({ ...common, query: z.string().optional() });
const aggregateSchema = z.object({
  collectionName: coll,
  stages: z.array(z.object({ stageKey: z.string().regex(/^\$[a-zA-Z]+$/), stageValue: z.string() })),
});
const transactionSchema = z.object({ transactionId: z.string() });

/** Each `database.*` action the SDK sends, one handler each (docs/emulator-wire.md#database-actions). */
export const databaseActions: Record<string, Handler> = {
  'database.addCollection': (body, db) => {
    db.createCollection(parse(addCollectionSchema, body).collectionName);
    return {};
  },

  'database.insertDocument': (body, db, caller) => {
    const b = parse(insertSchema, body);
    const docs = b.data.map((d) => decode(d, caller, 'data') as Doc);
    return { data: { insertedIds: db.insert(b.collectionName, docs, b.transactionId) } };
  },

  'database.getDocument': (body, db, caller) => {
    const b = parse(getSchema, body);
    const limit = b.queryType === 'DOC' ? 1 : db.limitFor(b.limit, caller.client);
    const opts = {
      limit,
      offset: b.offset,
      order: decode(b.order, caller, 'order') as Record<string, 1 | -1>,
      projection: decode(b.projection, caller, 'projection') as Record<string, 0 | 1>,
    };
    const list = db.getText(b.collectionName, decode(b.query, caller, 'query'), opts, b.transactionId);
    return { data: { list, offset: b.offset ?? 0, limit } };
  },

  'database.calculateDocument': (body, db, caller) => {
    const b = parse(countSchema, body);
    return { data: { total: db.count(b.collectionName, decode(b.query, caller, 'query')) } };
  },

  'database.modifyDocument': (body, db, caller) => {
    const b = parse(modifySchema, body);
    const query = decode(b.query, caller, 'query');
    const r = db.modify(b.collectionName, query, decode(b.data, caller, 'data'), b, b.transactionId);
    return { data: { updated: r.updated, upsert_id: r.upsertId } };
  },

  // the document it updated (or upserted), as written: a query on a changed field would not find it again
  'database.modifyAndReturnDoc': (body, db, caller) => {
    const b = parse(modifySchema, body);
    const query = decode(b.query, caller, 'query');
    const r = db.modify(
      b.collectionName,
      query,
      decode(b.data, caller, 'data'),
      { ...b, multi: false },
      b.transactionId,
    );
    const [doc] = r.docs;
    return { data: { updated: r.updated, doc: doc ? encodeDoc(doc) : null } };
  },

  'database.removeDocument': (body, db, caller) => {
    const b = parse(removeSchema, body);
    const deleted = db.remove(b.collectionName, decode(b.query, caller, 'query'), b.multi, b.transactionId);
    return { data: { deleted } };
  },

  'database.aggregateDocuments': (body, db, caller) => {
    const b = parse(aggregateSchema, body);
    const pipeline = b.stages.map((s) => ({ [s.stageKey]: decodeWire(s.stageValue, caller.now) }));
    return { data: { list: db.aggregate(b.collectionName, pipeline).map(encodeDoc) } };
  },

  'database.startTransaction': (_body, db) => ({ transactionId: db.transactions.start() }),

  'database.commitTransaction': (body, db) => {
    db.transactions.commit(parse(transactionSchema, body).transactionId);
    return {};
  },

  'database.abortTransaction': (body, db) => {
    db.transactions.abort(parse(transactionSchema, body).transactionId);
    return {};
  },
};
