import nodemailer from 'nodemailer';
import type { ChannelAdapter } from './types';

/** Email over SMTP (`SMTP_URL`, e.g. smtp://user:pass@host:587). SMTP 4xx and network errors retry; 5xx stop. */
export function emailChannel(smtpUrl: string, from: string): ChannelAdapter {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(m) {
      if (!m.email) return { ok: false, failure: { errcode: 40003, errmsg: 'no email address' } };
      try {
        const info = await transport.sendMail({
          from,
          to: m.email,
          subject: m.title,
          text: m.body,
          headers: { 'X-Outbox-Key': m.key },
        });
        return { ok: true, providerId: info.messageId };
      } catch (e) {
        const code = Number((e as { responseCode?: number }).responseCode);
        if (code >= 500)
          return { ok: false, failure: { errcode: 47003, errmsg: String((e as Error).message).slice(0, 200) } };
        if (code >= 400)
          return { ok: false, failure: { errcode: -1, errmsg: String((e as Error).message).slice(0, 200) } };
        return { ok: false, failure: { timeout: true } };
      }
    },
  };
}
