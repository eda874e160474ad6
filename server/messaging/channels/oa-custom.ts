import { failureOf, type ChannelAdapter, type OpenApiCall } from './types';

/** Official Account customer-service text (`customerServiceMessage.send`): only within 48 h of the member's last interaction. */
export function oaCustomChannel(call: OpenApiCall): ChannelAdapter {
  return {
    async send(m) {
      try {
        await call('customerServiceMessage.send', { touser: m.touser, msgtype: 'text', text: { content: `${m.title}\n${m.body}` } });
        return { ok: true };
      } catch (e) {
        return { ok: false, failure: failureOf(e) };
      }
    },
  };
}
