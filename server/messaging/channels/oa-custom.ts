import { OA_CUSTOM_SEND, type OaMessenger } from '../../oa';
import { oaFailureOf, type ChannelAdapter } from './types';

/** Official Account customer-service text (`cgi-bin/message/custom/send`): only within 48 h of the member's last interaction. */
export function oaCustomChannel(oa: OaMessenger): ChannelAdapter {
  return {
    async send(m) {
      try {
        await oa.send(OA_CUSTOM_SEND, {
          touser: m.touser,
          msgtype: 'text',
          text: { content: `${m.title}\n${m.body}` },
        });
        return { ok: true };
      } catch (e) {
        return { ok: false, failure: oaFailureOf(e) };
      }
    },
  };
}
