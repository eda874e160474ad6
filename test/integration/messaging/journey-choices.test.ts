import { rmSync } from 'node:fs';
import type { Emulator } from '../../../emulator/emulator';
import { STAGES } from '../../../core/lifecycle/config';
import { as } from '../../support/client';
import { connectSdk, type Sdk } from '../../support/sdk';
import { product, syncProducts } from '../behaviour/support';
import { functionsDirWith, separateEmulator } from '../orders/support';
import { seedJourneys } from './support';

/**
 * The journey editor's condition pickers read the brand's own values in one call: the tags staff
 * keep, the segments they saved, the categories the brand's systems synced, the tiers it declares
 * and the subscription templates its journeys send. Brand admins only, refusals audited.
 */
let emu: Emulator;
let dir: string;
let db: Sdk['db'];
const admin = () => as(emu, 'o_choice_admin');

beforeAll(async () => {
  dir = functionsDirWith(['orders', 'messaging', 'admin'], []);
  emu = await separateEmulator(dir);
  ({ db } = connectSdk(emu));
  await db
    .collection('staff')
    .doc('staff_choice_admin')
    .set({ data: { openid: 'o_choice_admin', name: '品牌管理员', role: 'brand_admin', storeIds: [] } });
  await db
    .collection('staff')
    .doc('staff_choice_mgr')
    .set({ data: { openid: 'o_choice_mgr', name: '店长', role: 'store_manager', storeIds: ['store_a'] } });
  await db
    .collection('brand')
    .doc('brand')
    .set({ data: { messageTemplates: { birthday_wish: 'TPL_birthday_wish_0001' } } });
  await seedJourneys(db, ['unpaid-order-reminder']);
}, 300_000);
afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('S21 journeys: the condition pickers offer the tags, segments, categories, tiers and templates the brand has', async () => {
  const tag = { id: 'silk_fan', category: 'preference', kind: 'manual', name: { zh: '真丝控', en: 'Silk fan' } };
  await admin().ok('admin', 'tags.save', { tag } as never);
  const rule = { field: 'marketingOptIn', op: 'is', value: false };
  await admin().ok('messaging', 'segments.save', { id: 'opted-out', name: '已退订营销', rule } as never);
  const synced = await syncProducts(emu, [
    product('QP-9', { category: 'qipao' }),
    product('SC-9', { category: 'scarf' }),
  ]);
  expect(synced.status).toBe(200);

  const choices = await admin().ok('messaging', 'journeys.choices', {});
  expect(choices.tags.find((t) => t.id === 'silk_fan')).toEqual({
    id: 'silk_fan',
    name: tag.name,
    category: 'preference',
  });
  expect(choices.segments).toEqual([{ id: 'opted-out', name: '已退订营销' }]);
  expect(choices.categories).toEqual(['qipao', 'scarf']);
  expect(choices.stages).toEqual([...STAGES]);
  expect(choices.tiers.map((t) => t.id)).toEqual(['member', 'silver', 'gold', 'black']);
  expect(choices.tiers[2]!.name).toEqual({ zh: '金卡', en: 'Gold' });
  expect(choices.consents).toEqual(['birthday_wish', 'order_unpaid_reminder']);
});

test('S21 journeys: only brand admins read the pickers; a refusal is audited', async () => {
  const r = await as(emu, 'o_choice_mgr').call('messaging', 'journeys.choices', {});
  expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  const audits = await db.collection('audit_log').where({ action: 'refused:messaging.journeys.choices' }).get();
  expect(audits.data).toHaveLength(1);
});
