import type { Emulator } from '../../../emulator/emulator';
import { testEmulator } from '../../support/emulator';
import { as } from '../../support/client';
import { emulatorNow, oaEventXml, oaQuery, seedDemo, setClock } from '../member/helpers';

export { emulatorNow, setClock };

/** An emulator with the demo brand where only the referral timer fires (every 10 minutes). */
export async function referralEmulator(config?: Record<string, unknown>): Promise<Emulator> {
  const emu = await testEmulator({ timerFunctions: ['referral'] });
  await setClock(emu, { set: '2026-05-01T02:00:00Z' });
  seedDemo(emu);
  if (config) await seedReferralConfig(emu, config);
  return emu;
}

export async function seedReferralConfig(emu: Emulator, config: Record<string, unknown>): Promise<void> {
  const { connectSdk } = await import('../../support/sdk');
  const { db } = connectSdk(emu, { throwOnNotFound: false });
  await db.collection('brand').doc('referral').set({ data: config });
}

export const claim = (name: string) => ({
  name,
  birthday: '1992-06-18',
  consents: { privacyVersion: '2026-01', marketingOptIn: true },
});

/** A person on the Mini Program: logs in (optionally from a share path) and may claim the card. */
export async function visit(
  emu: Emulator,
  openid: string,
  opts: { unionid?: string; query?: Record<string, string>; scene?: string } = {},
) {
  const c = as(emu, openid, opts.unionid ? { unionid: opts.unionid } : {});
  const view = await c.ok('member', 'login', {
    ...(opts.query ? { query: opts.query } : {}),
    ...(opts.scene ? { scene: opts.scene } : {}),
  });
  return { c, memberId: view.memberId };
}

export async function joined(
  emu: Emulator,
  openid: string,
  name: string,
  opts: { unionid?: string; scene?: string } = {},
) {
  const v = await visit(emu, openid, opts);
  await v.c.ok('member', 'claimCard', claim(name));
  return v;
}

/** Follows the brand's Official Account (the platform's subscribe event, signed with the token). */
export async function follow(emu: Emulator, oaOpenid: string, unionid: string): Promise<void> {
  const at = Math.floor((await emulatorNow(emu)).getTime() / 1000);
  const res = await fetch(`${emu.url}/http/oa/callback?${oaQuery()}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: oaEventXml({ from: oaOpenid, event: 'subscribe', unionid, at }),
  });
  if (res.status !== 200) throw new Error(`OA callback answered ${res.status}`);
}

/** Moves the clock past the next referral timer (every 10 minutes; events are read 10 s behind). */
export const tick = (emu: Emulator, minutes = 11) => setClock(emu, { advance: `${minutes}m` });

/** The events the orders function writes when an order is paid or refunded (same builder, same shape). */
export async function orderEvents(
  emu: Emulator,
  memberId: string,
  orderNo: string,
  paidFen: number,
  refundFen?: number,
): Promise<void> {
  const { connectSdk } = await import('../../support/sdk');
  const { orderEvent } = await import('../../../server/orders/events');
  const { db } = connectSdk(emu, { throwOnNotFound: false });
  const now = await emulatorNow(emu);
  const orderId = `pos:${orderNo}`;
  const ev =
    refundFen === undefined
      ? orderEvent(
          { type: 'order.paid', source: 'pos', orderNo, paidFen, paidAt: now, categories: [] },
          orderId,
          memberId,
          now,
        )
      : orderEvent(
          {
            type: 'order.refunded',
            source: 'pos',
            orderNo,
            refundNo: `${orderNo}-R`,
            amountFen: refundFen,
            deltaFen: refundFen,
            paidFen,
          },
          orderId,
          memberId,
          now,
        );
  const { _id, ...rest } = ev;
  await db.collection('events').doc(_id).set({ data: rest });
}
