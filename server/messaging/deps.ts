import type { SystemContext } from '../kit/context';
import { sdk } from '../runtime/cloud';
import { brandMessaging, type BrandMessaging } from './brand';
import { oaMessenger } from '../oa';
import { channelAdapters, openApiOf } from './channels';
import type { DispatchDeps } from './dispatch';

/** Within the function's 60 s timeout (config.json): no call to WeChat starts later than this after the invocation began. */
const CALLS_WITHIN_MS = 55_000;

/** The dispatcher's dependencies in a cloud function: the platform's OpenAPI, the Official Account's API, SMTP from the environment. */
export function dispatchDeps(ctx: SystemContext, brand: BrandMessaging): DispatchDeps {
  const oa = oaMessenger({ db: ctx.db, now: ctx.now, log: ctx.log, deadline: Date.now() + CALLS_WITHIN_MS });
  return {
    db: ctx.db,
    now: ctx.now,
    log: ctx.log,
    brand,
    adapters: channelAdapters(openApiOf(sdk()), oa, { smtpUrl: process.env.SMTP_URL, mailFrom: brand.mailFrom }),
  };
}

export { brandMessaging };

/** A timer starts no new work after 20 s, well inside the function's 60 s timeout; whatever is left waits for the next run. */
export const deadlineIn = (ms = 20_000): number => Date.now() + ms;
