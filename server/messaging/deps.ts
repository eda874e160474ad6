import type { SystemContext } from '../kit/context';
import { sdk } from '../runtime/cloud';
import { brandMessaging, type BrandMessaging } from './brand';
import { channelAdapters, openApiOf } from './channels';
import type { DispatchDeps } from './dispatch';

/** The dispatcher's dependencies in a cloud function: the platform's OpenAPI and SMTP from the environment. */
export function dispatchDeps(ctx: SystemContext, brand: BrandMessaging): DispatchDeps {
  return {
    db: ctx.db,
    now: ctx.now,
    log: ctx.log,
    brand,
    adapters: channelAdapters(openApiOf(sdk()), { smtpUrl: process.env.SMTP_URL, mailFrom: brand.mailFrom }),
  };
}

export { brandMessaging };

/** Work stops well before the function's 60 s timeout; whatever is left waits for the next timer. */
export const deadlineIn = (ms = 40_000): number => Date.now() + ms;
