import type { Sdk } from '../../support/sdk';
import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { testEmulator } from '../../support/emulator';
import { connectSdk } from '../../support/sdk';
import { emulatorNow, order, setClock, syncOrders } from '../orders/support';
import { calls, seedJourneys } from '../messaging/support';
import { events, product, syncProducts } from './support';

/**
 * Cart abandonment through the clock: a member adds to the cart in the Mini Program; the member
 * function's cart timer and the journeys timer run as the clock moves. The brand waits the default
 * 4 hours (`behaviour.cartAbandonmentHours`).
 */
let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  emu = await testEmulator({ timerFunctions: ['member:cartAbandonment', 'messaging:journeys'] });
  await setClock(emu, { set: '2026-05-04T02:00:00Z' }); // 10:00 in Shanghai, outside quiet hours
  ({ db } = connectSdk(emu, { throwOnNotFound: false }));
  await seedJourneys(db, ['cart-abandonment']);
  await syncProducts(emu, [product('QP-7', { category: 'qipao' })]);
}, 60_000);
afterAll(() => emu.close());

const reminders = async (openid: string) =>
  (await calls(emu, 'subscribeMessage.send', openid)).map((c) =>
    String(c.params['templateId'] ?? c.params['template_id']),
  );

async function shopper(openid: string) {
  const me = as(emu, openid);
  await me.ok('member', 'login', {});
  await me.ok('member', 'setTrackingConsent', { optIn: true });
  await me.ok('messaging', 'recordConsent', { results: { cart_reminder: 'accept' } });
  await me.ok('member', 'track', { events: await events(emu, [{ kind: 'add_to_cart', productId: 'QP-7' }]) });
  return me;
}

test('cart abandonment: no paid order within the hours → one reminder; nothing before the hours are up', async () => {
  await shopper('o_cart_left');
  await setClock(emu, { advance: '3h' });
  expect(await reminders('o_cart_left')).toEqual([]);
  await setClock(emu, { advance: '2h' });
  expect(await reminders('o_cart_left')).toEqual(['cart_reminder']);
  await setClock(emu, { advance: '6h' });
  expect(await reminders('o_cart_left')).toEqual(['cart_reminder']);
}, 120_000);

test('cart abandonment: a paid order after the cart addition → no reminder', async () => {
  await setClock(emu, { set: '2026-05-05T02:00:00Z' }); // the next morning: a reminder would not wait for quiet hours
  await shopper('o_cart_paid');
  await shopper('o_cart_unpaid');
  await setClock(emu, { advance: '1h' });
  const at = new Date((await emulatorNow(emu)).getTime() - 60_000);
  const paid = order({
    orderNo: 'CART-1',
    customer: [{ type: 'openid', value: 'o_cart_paid' }],
    createdAt: at,
    paidAt: at,
  });
  expect((await syncOrders(emu, 'pos', [paid])).json.data.accepted).toBe(1);
  await setClock(emu, { advance: '5h' });
  expect(await reminders('o_cart_paid')).toEqual([]);
  expect(await reminders('o_cart_unpaid')).toEqual(['cart_reminder']);
}, 120_000);
