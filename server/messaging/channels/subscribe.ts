import { clip } from '../content';
import { failureOf, pageWithKey, type ChannelAdapter, type OpenApiCall } from './types';

/** Mini Program subscription message (`subscribeMessage.send`): thing1 title, thing2 body (20 characters each). */
export function subscribeChannel(
  call: OpenApiCall,
  opts: { page?: string; state?: 'developer' | 'trial' | 'formal' } = {},
): ChannelAdapter {
  return {
    async send(m) {
      try {
        await call('subscribeMessage.send', {
          touser: m.touser,
          templateId: m.templateId,
          page: pageWithKey(opts.page ?? 'pages/index/index', m.key),
          lang: m.language === 'en' ? 'en_US' : 'zh_CN',
          miniprogramState: opts.state ?? 'formal',
          data: { thing1: { value: clip(m.title, 20) }, thing2: { value: clip(m.body, 20) } },
        });
        return { ok: true };
      } catch (e) {
        return { ok: false, failure: failureOf(e) };
      }
    },
  };
}
