/**
 * Webhook registration as "ensure": make sure exactly one webhook with this target URL,
 * resource and event exists, with our name and secret, and is active — without ever touching
 * webhooks that point elsewhere (another deployment of the same bot, say).
 *
 * Unlike the framework's own registration (delete, then create), nothing is deleted first, so
 * a restart loses no events and never leaves the bot with no webhook.
 */
import type { WebexResource } from 'webex';
import type { Logger } from '../../logging.js';

/** A webhook as Webex describes it. */
export interface WebhookRecord {
  id: string;
  name: string;
  targetUrl: string;
  resource: string;
  event: string;
  filter?: string;
  secret?: string;
  status?: string;
  [key: string]: unknown;
}

/** The webhook calls {@link ensureWebhook} makes (the SDK's `webhooks` plugin). */
export type WebhookApi = Pick<WebexResource<WebhookRecord>, 'list' | 'create' | 'update' | 'remove'>;

/** The webhook we want. */
export interface WebhookSpec {
  name: string;
  targetUrl: string;
  resource: string;
  event: string;
  secret: string;
  filter?: string | undefined;
}

/** Lists every webhook of the token, following pagination. */
export async function listAllWebhooks(api: Pick<WebexResource<WebhookRecord>, 'list'>): Promise<WebhookRecord[]> {
  const all: WebhookRecord[] = [];
  let page = await api.list({ max: 100 });
  all.push(...page.items);
  while (page.hasNext()) {
    page = await page.next();
    all.push(...page.items);
  }
  return all;
}

/** True when `hook` is the same subscription as `spec` (target, resource, event, filter). */
export function sameSubscription(hook: WebhookRecord, spec: WebhookSpec): boolean {
  return (
    hook.targetUrl === spec.targetUrl &&
    hook.resource === spec.resource &&
    hook.event === spec.event &&
    (hook.filter ?? '') === (spec.filter ?? '')
  );
}

/** What {@link ensureWebhook} found and did. */
export interface EnsureResult {
  readonly webhook: WebhookRecord;
  readonly action: 'created' | 'updated' | 'kept';
  /** The webhook as it was before an update (e.g. `status: 'inactive'`). */
  readonly previous?: WebhookRecord;
}

/**
 * Ensures the webhook of `spec` exists, once, active, with `spec`'s name and secret.
 * Returns the webhook and what was done.
 */
export async function ensureWebhook(api: WebhookApi, spec: WebhookSpec, log: Logger): Promise<EnsureResult> {
  const existing = (await listAllWebhooks(api)).filter((h) => sameSubscription(h, spec));
  if (existing.length === 0) {
    const { filter, ...rest } = spec;
    const webhook = await api.create(filter ? { ...rest, filter } : rest);
    log.info('webhook created', { webhookId: webhook.id, resource: spec.resource, event: spec.event });
    return { webhook, action: 'created' };
  }
  // Keep an active one if there is one; remove the duplicates (all ours: same target and subscription).
  const keep = existing.find((h) => h.status !== 'inactive') ?? existing[0]!;
  for (const duplicate of existing.filter((h) => h !== keep)) {
    await api.remove(duplicate.id);
    log.info('duplicate webhook removed', { webhookId: duplicate.id, resource: spec.resource, event: spec.event });
  }
  if (keep.name === spec.name && keep.secret === spec.secret && keep.status === 'active') {
    log.debug('webhook already registered', { webhookId: keep.id, resource: spec.resource, event: spec.event });
    return { webhook: keep, action: 'kept' };
  }
  const webhook = await api.update({
    id: keep.id,
    name: spec.name,
    targetUrl: spec.targetUrl,
    secret: spec.secret,
    status: 'active',
  });
  log.info('webhook updated', {
    webhookId: keep.id,
    resource: spec.resource,
    event: spec.event,
    wasStatus: keep.status,
  });
  return { webhook, action: 'updated', previous: keep };
}
