import type { Sdk } from '../../support/sdk';
import { rmSync } from 'node:fs';
import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { startSmtpSink } from '../../support/smtp';
import { connectSdk } from '../../support/sdk';
import { functionsDirWith, separateEmulator, setClock } from '../orders/support';
import { addStaff } from '../messaging/support';

/** Email double opt-in: a real SMTP conversation; the email channel uses an address only once its link is opened. */
let emu: Emulator;
let dir: string;
let db: Sdk['db'];
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

beforeAll(async () => {
  smtp = await startSmtpSink();
  dir = functionsDirWith(['member', 'messaging', 'admin'], [], { SMTP_URL: smtp.url });
  emu = await separateEmulator(dir);
  ({ db } = connectSdk(emu));
  await setClock(emu, { set: '2026-05-04T02:00:00Z' });
});
afterAll(async () => {
  await emu.close();
  await smtp.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The text of a mail, whichever transfer encoding nodemailer chose. */
function textOf(raw: string): string {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/content-transfer-encoding: base64/i.test(head!))
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding: quoted-printable/i.test(head!)) {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}
const linkIn = (raw: string) => new URL(/https?:\/\/\S+\/http\/member\/email\/confirm\?t=\S+/.exec(textOf(raw))![0]);
const open = (link: URL) => fetch(`${emu.url}${link.pathname}${link.search}`);

async function mailCampaign(admin: ReturnType<typeof as>, id: string) {
  await admin.ok('messaging', 'campaigns.send', {
    id,
    name: id,
    segmentId: 'mail',
    message: { channel: 'email', template: 'nurture_story', purpose: 'marketing', data: {} },
  });
  await setClock(emu, { advance: '2m' });
}

test('email double opt-in: the address counts only once its link is opened; a changed link confirms nothing', async () => {
  const admin = as(emu, await addStaff(db));
  await admin.ok('messaging', 'segments.save', {
    id: 'mail',
    name: 'mail',
    rule: { field: 'tags', op: 'hasAny', values: ['mail'] },
  });
  const me = as(emu, 'o_mail_lin');
  const { memberId } = await me.ok('member', 'login', {});
  await admin.ok('admin', 'members.tag', { memberId, add: ['mail'] });

  expect(await me.ok('member', 'setEmail', { email: 'Lin@Example.com' })).toMatchObject({
    pending: 'lin@example.com',
    confirmed: null,
  });
  expect(await me.call('member', 'setEmail', { email: 'lin@example.com' })).toMatchObject({
    ok: false,
    error: { code: 'EMAIL_TOO_SOON' },
  });
  expect(await me.call('member', 'setEmail', { email: 'not-an-address' })).toMatchObject({
    ok: false,
    error: { code: 'INVALID_INPUT' },
  });
  await setClock(emu, { advance: '2m' });
  expect(smtp.received.map((m) => m.to)).toEqual([['lin@example.com']]);
  const link = linkIn(smtp.received[0]!.raw);

  // not confirmed yet: a campaign by email does not reach the address
  await mailCampaign(admin, 'before');
  expect(smtp.received).toHaveLength(1);

  const forged = new URL(link);
  forged.searchParams.set('t', `${link.searchParams.get('t')!.slice(0, -2)}xx`);
  expect((await open(forged)).status).toBe(400);
  expect((await open(link)).status).toBe(200);
  expect((await open(link)).status).toBe(200);

  await mailCampaign(admin, 'after');
  expect(smtp.received.map((m) => m.to)).toEqual([['lin@example.com'], ['lin@example.com']]);
  expect(smtp.received[1]!.raw).toContain('X-Outbox-Key: campaign:after:');
});

test('email double opt-in: a link for an address replaced since, or past 48 hours, changes nothing', async () => {
  const me = as(emu, 'o_mail_ming');
  await me.ok('member', 'login', {});
  const sent = smtp.received.length;
  await me.ok('member', 'setEmail', { email: 'old@example.com' });
  await setClock(emu, { advance: '2m' });
  await me.ok('member', 'setEmail', { email: 'new@example.com' });
  await setClock(emu, { advance: '2m' });
  const [oldMail, newMail] = smtp.received.slice(sent);
  expect(oldMail!.to).toEqual(['old@example.com']);
  expect((await open(linkIn(oldMail!.raw))).status).toBe(409);
  await setClock(emu, { advance: '49h' });
  expect((await open(linkIn(newMail!.raw))).status).toBe(410);
  expect((await me.ok('member', 'exportData', {})).data.member).toMatchObject({
    emailPending: { address: 'new@example.com' },
  });
  expect((await me.ok('member', 'exportData', {})).data.member).not.toHaveProperty('email');
});
