import type { Channel } from '../../../core/messaging';
import type { OaMessenger } from '../../oa';
import { emailChannel } from './email';
import { oaCustomChannel } from './oa-custom';
import { oaTemplateChannel } from './oa-template';
import { subscribeChannel } from './subscribe';
import type { ChannelAdapter, OpenApiCall } from './types';

export type { ChannelAdapter, OpenApiCall, RenderedMessage, SendOutcome } from './types';

/** `cloud.openapi.subscribeMessage.send(params)` for apiName `subscribeMessage.send`. */
export function openApiOf(cloud: { openapi: unknown }): OpenApiCall {
  return async (apiName, params) => {
    const [group, method] = apiName.split('.') as [string, string];
    const api = (cloud.openapi as Record<string, Record<string, (p: unknown) => Promise<Record<string, unknown>>>>)[
      group
    ];
    const fn = api?.[method];
    if (!fn) throw Object.assign(new Error(`openapi ${apiName} missing`), { errCode: -604100 });
    return fn.call(api, params);
  };
}

const notConfigured: ChannelAdapter = {
  send: async () => ({ ok: false, failure: { errcode: 47003, errmsg: 'email_not_configured: set SMTP_URL' } }),
};

/**
 * Every channel's adapter: subscription messages through the platform's OpenAPI (the Mini
 * Program's own), Official Account ones through the OA's HTTP API with its access token, email
 * through SMTP_URL when set.
 */
export function channelAdapters(
  call: OpenApiCall,
  oa: OaMessenger,
  env: { smtpUrl?: string; mailFrom: string },
): Record<Channel, ChannelAdapter> {
  return {
    subscribe: subscribeChannel(call),
    oa_template: oaTemplateChannel(oa),
    oa_custom: oaCustomChannel(oa),
    email: env.smtpUrl ? emailChannel(env.smtpUrl, env.mailFrom) : notConfigured,
  };
}
