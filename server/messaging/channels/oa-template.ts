import { OA_TEMPLATE_SEND, type OaMessenger } from '../../oa';
import { oaFailureOf, type ChannelAdapter } from './types';

/** Official Account template message (`cgi-bin/message/template/send`); `client_msg_id` is the outbox key (WeChat's own de-duplication id). */
export function oaTemplateChannel(oa: OaMessenger): ChannelAdapter {
  return {
    async send(m) {
      try {
        const r = await oa.send(OA_TEMPLATE_SEND, {
          touser: m.touser,
          template_id: m.templateId,
          client_msg_id: m.key,
          data: { first: { value: m.title }, remark: { value: m.body } },
        });
        return { ok: true, providerId: r.msgid };
      } catch (e) {
        return { ok: false, failure: oaFailureOf(e) };
      }
    },
  };
}
