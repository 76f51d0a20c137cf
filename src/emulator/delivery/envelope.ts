/**
 * The body Webex POSTs to a webhook, and its signature.
 */
import type { WebexEvent } from '../events.js';
import type { Webhook } from '../types.js';

/**
 * The envelope for `event` sent to `webhook`, with Webex's fields in Webex's order.
 * Its top-level `id` is the webhook's id (the same for every event); `data` holds ids only.
 */
export function buildEnvelope(webhook: Webhook, event: WebexEvent): Record<string, unknown> {
  return {
    id: webhook.id,
    name: webhook.name,
    targetUrl: webhook.targetUrl,
    resource: event.resource,
    event: event.event,
    ...(webhook.filter ? { filter: webhook.filter } : {}),
    orgId: webhook.orgId,
    createdBy: webhook.createdBy,
    appId: webhook.appId,
    ownedBy: webhook.ownedBy,
    status: webhook.status,
    created: webhook.created,
    actorId: event.actorId,
    data: event.data,
  };
}
