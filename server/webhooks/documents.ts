/** `event_cursor/crm-webhooks`: the last event turned into webhook deliveries, in (at, _id) order. */
export const CURSOR_ID = 'crm-webhooks';

/**
 * `webhook_subscriptions/{id}`: where a brand system wants which events, signed with the secret in
 * `process.env[secretEnv]`.
 */
export interface WebhookSubscriptionDoc {
  _id: string;
  url: string;
  events: string[];
  secretEnv: string;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string;
}
