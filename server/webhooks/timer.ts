import type { TimerHandler } from '../kit/router';
import { queueWebhookDeliveries } from './consume';
import { deliverDueWebhooks } from './deliver';
import { loadSubscriptions } from './subscriptions';

/** Work stops well within the admin function's timeout (config.json); what is left waits for the next minute. */
const QUEUE_WITHIN_MS = 5_000;
const DELIVER_WITHIN_MS = 12_000;

/** Every minute: new events become deliveries (one per event and subscription), then due deliveries go out. */
export const crmWebhooks: TimerHandler = async (ctx) => {
  const started = Date.now();
  const subs = await loadSubscriptions(ctx.db);
  if (subs.length === 0) return { idle: true };
  const queued = await queueWebhookDeliveries(ctx, subs, started + QUEUE_WITHIN_MS);
  const delivery = await deliverDueWebhooks(ctx, subs, started + DELIVER_WITHIN_MS);
  return { ...queued, ...delivery };
};
