import { type setEmail as setEmailContract } from '../../core/contracts/email';
import { emailToken, verifyEmailToken } from '../../core/signing/email-link';
import { DomainError, ErrorCodes } from '../../core/errors';
import type { SystemContext } from '../kit/context';
import type { HttpRequest, HttpResponse, Handler } from '../kit/router';
import { inTransaction } from '../db/transaction';
import { requireMember, resolveMember } from '../members/resolve';
import { EMAIL_LINK_SECRET, isDevelopment, secretFromEnv } from '../http/secrets';
import { enqueueAddressedEmailInTx } from '../messaging/outbox';

export const EMAIL_LINK_TTL_MS = 48 * 3_600_000;
const RESEND_AFTER_MS = 60_000;
export const CONFIRM_PATH = '/http/member/email/confirm';
/** The public address of the HTTP access service, where the confirmation link points. */
export const PUBLIC_URL_ENV = 'MEMBER_CENTRE_PUBLIC_URL';

function secret(): string {
  const s = secretFromEnv(EMAIL_LINK_SECRET);
  if (!s) throw new DomainError(ErrorCodes.INTERNAL, `email confirmation is not configured: set ${EMAIL_LINK_SECRET}`);
  return s;
}

function publicUrl(): string {
  const url = process.env[PUBLIC_URL_ENV] ?? (isDevelopment() ? 'http://127.0.0.1:3900' : undefined);
  if (!url) throw new DomainError(ErrorCodes.INTERNAL, `email confirmation is not configured: set ${PUBLIC_URL_ENV}`);
  return url.replace(/\/$/, '');
}

const confirmText = {
  zh: (link: string) => `请在 48 小时内打开以下链接，确认这是您的邮箱：\n${link}\n如果不是您本人操作，请忽略本邮件。`,
  en: (link: string) =>
    `Open this link within 48 hours to confirm this is your address:\n${link}\nIf you did not ask for it, ignore this mail.`,
};

/**
 * The member enters an address: it waits as `emailPending` and a confirmation mail with a signed
 * link goes to it through the outbox. The confirmed address (`email`), if any, stays in use until
 * the new one is confirmed.
 */
export const setEmail: Handler<typeof setEmailContract> = async (input, ctx) => {
  const now = ctx.now();
  const m = await requireMember(ctx.db, ctx.openid);
  const last = m.emailPending?.requestedAt ? new Date(m.emailPending.requestedAt).getTime() : 0;
  if (now.getTime() - last < RESEND_AFTER_MS) {
    const message = '确认邮件刚刚发出，请一分钟后再试 / a confirmation mail was just sent, try again in a minute';
    throw new DomainError(ErrorCodes.EMAIL_TOO_SOON, message);
  }
  const expiresAt = new Date(now.getTime() + EMAIL_LINK_TTL_MS);
  const token = emailToken(secret(), { memberId: m._id, address: input.email, expiresAt });
  const link = `${publicUrl()}${CONFIRM_PATH}?t=${token}`;
  const lang = m.language ?? 'zh';
  await inTransaction(ctx.db, async (tx) => {
    const emailPending = { address: input.email, requestedAt: now, expiresAt };
    await tx.collection('members').doc(m._id).update({ data: { emailPending } });
    const key = `email-confirm:${m._id}:${now.getTime()}`;
    const data = { lang, body: confirmText[lang](link) };
    const mail = { key, memberId: m._id, to: input.email, template: 'email_confirm', data };
    await enqueueAddressedEmailInTx(tx, mail, now);
  });
  return { pending: input.email, expiresAt: expiresAt.toISOString(), confirmed: m.email ?? null };
};

const page = (statusCode: number, zh: string, en: string): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body:
    `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${zh}</title><main style="font:16px sans-serif;padding:24px"><h1>${zh}</h1><p>${en}</p></main>`,
});

/**
 * `GET /http/member/email/confirm?t=…`: the link of the confirmation mail. A valid link for the
 * address still pending makes it the member's email; opening it again says so again and changes
 * nothing; a link for an address replaced since, altered or expired changes nothing.
 */
export async function confirmEmailLink(req: HttpRequest, ctx: SystemContext): Promise<HttpResponse> {
  const check = verifyEmailToken(secret(), req.query['t'] ?? '', ctx.now());
  if (!check.ok) {
    const expired = check.code === ErrorCodes.EMAIL_LINK_EXPIRED;
    ctx.log.warn('email link refused', { code: check.code });
    if (expired) return page(410, '链接已过期，请重新填写邮箱', 'This link has expired: enter your address again.');
    return page(400, '链接无效', 'This link is not valid.');
  }
  const { memberId, address } = check.claim;
  const m = await resolveMember(ctx.db, memberId);
  if (m?.email === address) return page(200, '邮箱已确认', `${address} is confirmed.`);
  if (!m || m.emailPending?.address !== address) {
    ctx.log.warn('email link refused', { code: ErrorCodes.EMAIL_LINK_STALE });
    return page(409, '该邮箱已被更新的地址取代', 'A newer address was entered since this link was sent.');
  }
  const now = ctx.now();
  const _ = ctx.db.command;
  const confirmed = { email: address, emailConfirmedAt: now, emailPending: _.remove() };
  await ctx.db.collection('members').doc(m._id).update({ data: confirmed });
  return page(200, '邮箱已确认', `${address} is confirmed.`);
}
