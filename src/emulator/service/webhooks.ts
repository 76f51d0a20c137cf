/**
 * Webhook registration (`/v1/webhooks`): each person manages their own webhooks.
 */
import { badRequest, notFound } from '../errors.js';
import { mintId } from '../ids.js';
import { parseFilter } from '../delivery/filter.js';
import { optionalString } from '../messages/rules.js';
import type { WebhookRecord } from '../state/store.js';
import type { Person, Webhook, WebhookChange, WebhookResource } from '../types.js';
import type { Core } from './core.js';

/** Events each emulated resource can have (`all` only with the firehose resource `all`). */
export const RESOURCE_EVENTS: Readonly<Record<WebhookResource, readonly string[]>> = {
  all: ['all'],
  messages: ['all', 'created', 'updated', 'deleted'],
  memberships: ['all', 'created', 'updated', 'deleted'],
  rooms: ['all', 'created', 'updated'],
  attachmentActions: ['all', 'created'],
};

function requiredString(body: Record<string, unknown>, key: string): string {
  const v = optionalString(body, key);
  if (v === undefined || v.trim() === '') throw badRequest(`${key} is required`);
  return v;
}

function checkTargetUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest(`targetUrl must be an absolute http(s) URL (got ${JSON.stringify(url)})`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw badRequest(`targetUrl must use http or https (got ${parsed.protocol})`);
  return url;
}

function checkSecret(body: Record<string, unknown>): string | undefined {
  const secret = optionalString(body, 'secret');
  return secret === '' ? undefined : secret;
}

/** Registers a webhook owned by `owner` (`POST /v1/webhooks`). */
export function createWebhook(core: Core, owner: Person, body: Record<string, unknown>): Webhook {
  const name = requiredString(body, 'name');
  const targetUrl = checkTargetUrl(requiredString(body, 'targetUrl'));
  const resource = requiredString(body, 'resource');
  const event = requiredString(body, 'event');
  // Own keys only: `constructor`, `toString` or `__proto__` are not resources, whatever an object literal inherits.
  if (!Object.hasOwn(RESOURCE_EVENTS, resource)) {
    throw badRequest(
      `Unsupported resource ${JSON.stringify(resource)}; the emulator supports ${Object.keys(RESOURCE_EVENTS).join(', ')}`,
    );
  }
  const events = RESOURCE_EVENTS[resource as WebhookResource];
  if (!events.includes(event))
    throw badRequest(
      `Unsupported event ${JSON.stringify(event)} for resource ${resource}; use one of ${events.join(', ')}`,
    );
  const filter = optionalString(body, 'filter');
  if (filter !== undefined) parseFilter(filter);
  const ownedBy = body['ownedBy'] ?? 'creator';
  if (ownedBy !== 'creator') throw badRequest(`ownedBy ${JSON.stringify(ownedBy)} is not emulated; only 'creator' is`);
  const secret = checkSecret(body);
  const webhook: Webhook = {
    id: mintId('WEBHOOK'),
    name,
    targetUrl,
    resource: resource as WebhookResource,
    event,
    ...(filter ? { filter } : {}),
    ...(secret !== undefined ? { secret } : {}),
    status: 'active',
    orgId: core.store.orgId,
    createdBy: owner.id,
    appId: core.store.appId,
    ownedBy: 'creator',
    created: core.store.now(),
  };
  core.store.addWebhook({ webhook, ownerId: owner.id, consecutiveFailures: 0 });
  core.bus.emit({ kind: 'webhook', change: 'created', webhook: publicWebhook(webhook) });
  return structuredClone(webhook);
}

/** The owner's webhook record; 404 for anybody else. */
export function ownWebhook(core: Core, owner: Person, id: string): WebhookRecord {
  const r = core.store.webhookRecord(id);
  if (!r || r.ownerId !== owner.id) throw notFound('Could not find a webhook with the provided id');
  return r;
}

/**
 * Updates name, targetUrl, secret and status (`PUT /v1/webhooks/{id}`); `status: active`
 * re-enables an inactive webhook and forgets its failures. As in Webex, the owner cannot
 * deactivate a webhook (only Webex does, after failed deliveries; the control API can simulate that).
 */
export function updateWebhook(core: Core, owner: Person, id: string, body: Record<string, unknown>): Webhook {
  const r = ownWebhook(core, owner, id);
  const name = requiredString(body, 'name');
  const targetUrl = checkTargetUrl(requiredString(body, 'targetUrl'));
  const status = body['status'];
  if (status === 'inactive')
    throw badRequest(
      "A webhook cannot be deactivated with PUT: status can only be 'active', to re-activate a webhook " +
        'Webex deactivated after failed deliveries; delete the webhook to stop its events',
    );
  if (status !== undefined && status !== 'active')
    throw badRequest(`status must be 'active' (got ${JSON.stringify(status)})`);
  const secret = body['secret'] !== undefined ? checkSecret(body) : r.webhook.secret;
  const { secret: _old, ...rest } = r.webhook;
  r.webhook = {
    ...rest,
    name,
    targetUrl,
    ...(secret !== undefined ? { secret } : {}),
    status: (status as Webhook['status'] | undefined) ?? r.webhook.status,
  };
  if (status === 'active') r.consecutiveFailures = 0;
  core.bus.emit({ kind: 'webhook', change: 'updated', webhook: publicWebhook(r.webhook) });
  return structuredClone(r.webhook);
}

/**
 * Changes a webhook from outside the API (the control API): status, target or secret, with no
 * owner check. `status: active` forgets the failures, as a PUT does.
 */
export function alterWebhook(core: Core, id: string, change: WebhookChange): Webhook {
  const r = core.store.webhookRecord(id);
  if (!r) throw notFound(`No webhook with id ${id}`);
  if (change.status !== undefined && change.status !== 'active' && change.status !== 'inactive')
    throw new TypeError("status must be 'active' or 'inactive'");
  if (change.targetUrl !== undefined && typeof change.targetUrl !== 'string')
    throw new TypeError('targetUrl must be a string');
  if (
    change.secret !== undefined &&
    change.secret !== null &&
    (typeof change.secret !== 'string' || change.secret === '')
  )
    throw new TypeError('secret must be a non-empty string, or null for none');
  const targetUrl = change.targetUrl === undefined ? r.webhook.targetUrl : checkTargetUrl(change.targetUrl);
  const { secret: old, ...rest } = r.webhook;
  const secret = change.secret === undefined ? old : (change.secret ?? undefined);
  r.webhook = {
    ...rest,
    targetUrl,
    ...(secret !== undefined ? { secret } : {}),
    status: change.status ?? r.webhook.status,
  };
  if (change.status === 'active') r.consecutiveFailures = 0;
  core.bus.emit({ kind: 'webhook', change: 'updated', webhook: publicWebhook(r.webhook) });
  return structuredClone(r.webhook);
}

/** Deletes a webhook from outside the API (the control API), whoever owns it. */
export function removeWebhook(core: Core, id: string): void {
  const r = core.store.webhookRecord(id);
  if (!r) throw notFound(`No webhook with id ${id}`);
  core.store.deleteWebhook(id);
  core.bus.emit({ kind: 'webhook', change: 'deleted', webhook: publicWebhook(r.webhook) });
}

/** Deletes the owner's webhook (`DELETE /v1/webhooks/{id}`); its pending retries stop. */
export function deleteWebhook(core: Core, owner: Person, id: string): void {
  const r = ownWebhook(core, owner, id);
  core.store.deleteWebhook(id);
  core.bus.emit({ kind: 'webhook', change: 'deleted', webhook: publicWebhook(r.webhook) });
}

/** A webhook without its secret, for events and logs. */
export function publicWebhook(w: Webhook): Webhook {
  const { secret: _secret, ...rest } = w;
  return structuredClone(rest);
}
