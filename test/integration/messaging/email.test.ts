import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { startSmtpSink } from '../../support/smtp';
import { addMember, addStaff, campaignToTag, messagingEmulator, outboxOf } from './support';
import type { Sdk } from '../../support/sdk';

/** S15 email channel: a real SMTP conversation with a local server, the function configured by SMTP_URL. */
let emu: Emulator;
let db: Sdk['db'];
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

beforeAll(async () => {
  smtp = await startSmtpSink();
  ({ emu, db } = await messagingEmulator({ config: { envVariables: { SMTP_URL: smtp.url } } }));
});
afterAll(async () => {
  emu.close();
  await smtp.close();
});

test('S15 email: a campaign by email reaches the SMTP server once, with its outbox key; no address → skipped', async () => {
  const admin = as(emu, await addStaff(db));
  const withEmail = await addMember(db, { tags: ['mail'], email: 'lin@example.com', language: 'en' });
  const without = await addMember(db, { tags: ['mail'] });
  const message = { channel: 'email', template: 'nurture_story', purpose: 'marketing', data: {} } as const;
  await campaignToTag(admin, 'mail', message, 'mail-1');
  expect(smtp.received).toHaveLength(1);
  expect(smtp.received[0]!.to).toEqual(['lin@example.com']);
  expect(smtp.received[0]!.raw).toContain('Subject: Our story');
  expect(smtp.received[0]!.raw).toContain(`X-Outbox-Key: campaign:mail-1:${withEmail.memberId}`);
  expect((await outboxOf(db, { memberId: withEmail.memberId }))[0]).toMatchObject({ state: 'sent' });
  expect((await outboxOf(db, { memberId: without.memberId }))[0]).toMatchObject({
    state: 'skipped',
    reason: 'no_consent',
  });
});
