import type { Emulator } from '../../../emulator/emulator';
import { startEmulator } from '../../../emulator/emulator';
import { connectSdk, type Sdk } from '../../support/sdk';

/**
 * A transaction's writes keep the indexes right at its commit, also when one document is written
 * several times and only some of the writes change an indexed field.
 */
let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  emu = await startEmulator({
    functionsDir: '/nonexistent',
    collections: [
      {
        name: 'people',
        indexes: [
          { name: 'city', fields: ['city'] },
          { name: 'tier_city', fields: ['tier', 'city'] },
        ],
      },
    ],
  });
  ({ db } = connectSdk(emu));
});
afterAll(() => emu.close());

type TxRef = { set(o: { data: object }): Promise<unknown>; update(o: { data: object }): Promise<unknown> };
type SdkTx = { collection(n: string): { doc(id: string): TxRef } };

const idsIn = async (where: Record<string, unknown>) =>
  ((await db.collection('people').where(where).get()).data as { _id: string }[]).map((d) => d._id).sort();

test('indexed fields changed by the first, the second or only a later write of a transaction are found after it', async () => {
  const people = ['a', 'b', 'c', 'd'].map((_id) => ({ _id, name: _id, tier: 'silver', city: 'sh' }));
  await db.collection('people').add({ data: people });
  await (db as unknown as { runTransaction(cb: (t: SdkTx) => Promise<void>): Promise<void> }).runTransaction(
    async (t) => {
      const ref = (id: string) => t.collection('people').doc(id);
      // a: the name first, then the city
      await ref('a').set({ data: { name: 'A', tier: 'silver', city: 'sh' } });
      await ref('a').update({ data: { city: 'bj' } });
      // b: the city first, then the name
      await ref('b').update({ data: { city: 'gz' } });
      await ref('b').set({ data: { name: 'B', tier: 'silver', city: 'gz' } });
      // c: the tier once, by a whole-document set
      await ref('c').set({ data: { name: 'c', tier: 'gold', city: 'sh' } });
      // d: nothing indexed
      await ref('d').update({ data: { name: 'D' } });
    },
  );
  expect(await idsIn({ city: 'sh' })).toEqual(['c', 'd']);
  expect(await idsIn({ city: 'bj' })).toEqual(['a']);
  expect(await idsIn({ city: 'gz' })).toEqual(['b']);
  expect(await idsIn({ tier: 'gold', city: 'sh' })).toEqual(['c']);
  expect(await idsIn({ tier: 'silver', city: 'sh' })).toEqual(['d']);
  expect(await idsIn({ tier: 'silver', city: 'bj' })).toEqual(['a']);
});
