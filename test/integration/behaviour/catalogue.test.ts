import { ownEmulator } from '../../support/own-emulator';
import type { Sdk } from '../../support/sdk';
import type { Emulator } from '../../../emulator/emulator';
import { product, syncProducts } from './support';

/** The product catalogue synced from a brand system: signed, idempotent, newer wins. */
let emu: Emulator;
let close: () => Promise<void>;
let db: Sdk['db'];
const T0 = new Date('2026-03-02T02:00:00Z');

beforeAll(async () => {
  ({ emu, db, close } = await ownEmulator(['orders'], [], T0));
});
afterAll(() => close());

const stored = async (id: string) => (await db.collection('products').doc(id).get()).data;

test('catalogue sync: created once; the same batch twice (even concurrently) changes nothing', async () => {
  const batch = [product('QP-1', { category: 'qipao' }), product('SC-1', { category: 'scarf', priceFen: 39_900 })];
  const answers = await Promise.all([1, 2, 3].map(() => syncProducts(emu, batch)));
  for (const a of answers) expect(a.status).toBe(200);
  const outcomes = answers.flatMap((a) => a.json.data.results.map((r: { outcome: string }) => r.outcome));
  expect(outcomes.filter((o: string) => o === 'created')).toHaveLength(2);
  expect(outcomes.filter((o: string) => o !== 'created').every((o: string) => o === 'unchanged')).toBe(true);
  expect(await stored('SC-1')).toMatchObject({ category: 'scarf', priceFen: 39_900, active: true, source: 'pos' });
  expect((await db.collection('products').count()).total).toBe(2);
});

test('catalogue sync: a newer update wins, an older one arriving late changes nothing', async () => {
  const newer = product('QP-1', { priceFen: 99_000, updatedAt: new Date('2026-03-02T00:00:00Z') });
  expect((await syncProducts(emu, [newer])).json.data.results).toEqual([{ productId: 'QP-1', outcome: 'updated' }]);
  const late = product('QP-1', { priceFen: 1, updatedAt: new Date('2026-03-01T12:00:00Z') });
  expect((await syncProducts(emu, [late])).json.data.results).toEqual([{ productId: 'QP-1', outcome: 'unchanged' }]);
  expect(await stored('QP-1')).toMatchObject({ priceFen: 99_000 });
});

test('catalogue sync: a bad product or a bad signature is refused and writes nothing', async () => {
  const bad = await syncProducts(emu, [product('QP-9'), { ...product('QP-10'), imageUrl: 'http://insecure' }]);
  expect(bad).toMatchObject({ status: 400, json: { ok: false, error: { code: 'INVALID_INPUT' } } });
  expect(bad.json.error.message).toMatch(/products\.1\.imageUrl/);
  const forged = await syncProducts(emu, [product('QP-11')], { secret: 'not-the-secret' });
  expect(forged).toMatchObject({ status: 401, json: { ok: false, error: { code: 'SIGNATURE_INVALID' } } });
  expect(
    (
      await db
        .collection('products')
        .where({ _id: db.command.in(['QP-9', 'QP-10', 'QP-11']) })
        .count()
    ).total,
  ).toBe(0);
});
