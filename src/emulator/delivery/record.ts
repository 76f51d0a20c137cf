/**
 * Delivery records: the first delivery of an event to a webhook, and repeats of it (a
 * `redeliver` call or a twin), which carry the very same body bytes, signature and target.
 */
import { randomUUID } from 'node:crypto';
import type { WebexEvent } from '../events.js';
import type { DeliveryRecord, RedeliveryCause, Webhook } from '../types.js';
import { SIGNATURE_HEADER, signBody } from '../../protocol/signature.js';
import { buildEnvelope } from './envelope.js';

/** A pending record for delivering `e` to `webhook`: its envelope as JSON text, signed when the webhook has a secret. */
export function firstDelivery(webhook: Webhook, e: WebexEvent): DeliveryRecord {
  const body = JSON.stringify(buildEnvelope(webhook, e));
  const signature = webhook.secret ? signBody(webhook.secret, Buffer.from(body, 'utf8')) : undefined;
  return {
    id: randomUUID(),
    webhookId: webhook.id,
    webhookName: webhook.name,
    targetUrl: webhook.targetUrl,
    resource: e.resource,
    event: e.event,
    dataId: e.data.id,
    actorId: e.actorId,
    body,
    ...(signature ? { signature } : {}),
    state: 'pending',
    attempts: [],
    created: new Date().toISOString(),
  };
}

/** A pending repeat of `source`; `redeliveryOf` always names the first delivery, also for a repeat of a repeat. */
export function repeatOf(source: DeliveryRecord, cause: RedeliveryCause, concurrent: boolean): DeliveryRecord {
  return {
    id: randomUUID(),
    webhookId: source.webhookId,
    webhookName: source.webhookName,
    targetUrl: source.targetUrl,
    resource: source.resource,
    event: source.event,
    dataId: source.dataId,
    actorId: source.actorId,
    body: source.body,
    ...(source.signature !== undefined ? { signature: source.signature } : {}),
    state: 'pending',
    attempts: [],
    created: new Date().toISOString(),
    redeliveryOf: source.redeliveryOf ?? source.id,
    redeliveryCause: cause,
    concurrent,
  };
}

/** The headers of every POST of one delivery (its retries share the tracking id). */
export function deliveryHeaders(d: DeliveryRecord, trackingId: string): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'Webex-Emulator/1.0 (webex-skill-bot)',
    trackingid: trackingId,
    ...(d.signature ? { [SIGNATURE_HEADER]: d.signature } : {}),
  };
}
