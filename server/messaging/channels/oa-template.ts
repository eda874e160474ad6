import { failureOf, type ChannelAdapter, type OpenApiCall } from './types';

/** Official Account template message (`templateMessage.send`); `clientMsgId` is the outbox key (WeChat's own de-duplication id). */
export function oaTemplateChannel(call: OpenApiCall): ChannelAdapter {
  return {
    async send(m) {
      try {
        const r = await call('templateMessage.send', {
          touser: m.touser,
          templateId: m.templateId,
          clientMsgId: m.key,
          data: { first: { value: m.title }, remark: { value: m.body } },
        });
        return { ok: true, providerId: r['msgid'] === undefined ? undefined : String(r['msgid']) };
      } catch (e) {
        return { ok: false, failure: failureOf(e) };
      }
    },
  };
}
