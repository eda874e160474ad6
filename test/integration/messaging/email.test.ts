import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { addMember, addStaff, messagingEmulator, outboxOf } from './support';
import type { Sdk } from '../../support/sdk';

/** S15 email channel: a real SMTP conversation with a local server, the function configured by SMTP_URL. */
let emu: Emulator;
let db: Sdk['db'];
let smtp: SMTPServer;
const received: { to: string[]; raw: string }[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString()));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  ({ emu, db } = await messagingEmulator({ config: { envVariables: { SMTP_URL: `smtp://127.0.0.1:${port}` } } }));
});
afterAll(async () => {
  emu.close();
  await new Promise<void>((resolve) => smtp.close(resolve));
});

test('S15 email: a campaign by email reaches the SMTP server once, with its outbox key; no address → skipped', async () => {
  const admin = as(emu, await addStaff(db));
  const withEmail = await addMember(db, { tags: ['mail'], email: 'lin@example.com', language: 'en' });
  const without = await addMember(db, { tags: ['mail'] });
  await admin.ok('messaging', 'segments.save', {
    id: 'mail',
    name: 'mail',
    rule: { field: 'tags', op: 'hasAny', values: ['mail'] },
  });
  await admin.ok('messaging', 'campaigns.send', {
    id: 'mail-1',
    name: 'mail',
    segmentId: 'mail',
    message: { channel: 'email', template: 'nurture_story', purpose: 'marketing', data: {} },
  });
  expect(received).toHaveLength(1);
  expect(received[0]!.to).toEqual(['lin@example.com']);
  expect(received[0]!.raw).toContain('Subject: Our story');
  expect(received[0]!.raw).toContain(`X-Outbox-Key: campaign:mail-1:${withEmail.memberId}`);
  expect((await outboxOf(db, { memberId: withEmail.memberId }))[0]).toMatchObject({ state: 'sent' });
  expect((await outboxOf(db, { memberId: without.memberId }))[0]).toMatchObject({
    state: 'skipped',
    reason: 'no_consent',
  });
});
