import { pool } from './harness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK types a query's get() as string | void | IQueryResult
type Db = any;

export const benchOpenid = (i: number) => `o_bench_${i}`;
export const benchMemberId = (i: number) => `m_bench_${String(i).padStart(8, '0')}`;

export interface SeedOptions {
  at: Date;
  /** Fields of member i beyond the login ones (state, openid, first/last seen, created). */
  fields?: (i: number) => Record<string, unknown>;
  /** Identities of member i beyond its Mini Program OpenID, e.g. `[{ type: 'phone', value }]`. */
  identities?: (i: number) => { type: string; value: string }[];
}

/**
 * Writes `count` members and their identity rows straight through the SDK, 1,000 per batch with
 * two batches in flight: how the benches get a million members in minutes.
 */
export async function seedMembers(db: Db, count: number, opts: SeedOptions): Promise<void> {
  const { at } = opts;
  await pool(Math.ceil(count / 1000), 2, async (b) => {
    const ids = Array.from({ length: Math.min(1000, count - b * 1000) }, (_v, k) => b * 1000 + k);
    await db.collection('members').add({
      data: ids.map((i) => ({
        _id: benchMemberId(i),
        state: 'member',
        openid: benchOpenid(i),
        firstSeenAt: at,
        lastSeenAt: at,
        createdAt: at,
        ...opts.fields?.(i),
      })),
    });
    const links = ids.flatMap((i) =>
      [{ type: 'mp_openid', value: benchOpenid(i) }, ...(opts.identities?.(i) ?? [])].map((l) => ({
        _id: `${l.type}:${l.value}`,
        ...l,
        memberId: benchMemberId(i),
        linkedAt: at,
      })),
    );
    await db.collection('identities').add({ data: links });
  });
}
