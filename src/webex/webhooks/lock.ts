/**
 * Registering the webhooks when several instances start together: only the holder of the
 * reconciler lock (see `src/scale/reconciler-lock.ts`) creates or changes them. Every other
 * instance waits until an active webhook of the same subscription exists (whatever its name
 * and secret: the holder's configuration wins), and is ready then; should the holder stop
 * first, the instance that takes the lock over registers them.
 */
import type { Logger } from '../../logging.js';
import {
  ensureWebhook,
  listAllWebhooks,
  sameSubscription,
  type WebhookApi,
  type WebhookRecord,
  type WebhookSpec,
} from './ensure.js';

/** One instance at a time may register and watch the webhooks. */
export interface WebhookLock {
  /** Whether this instance holds the lock now. */
  held(): boolean;
  /** Resolves once this instance holds the lock, or after `ms`, whichever comes first. */
  wait(ms: number): Promise<void>;
}

/** Ensures `spec`'s webhook as the lock holder, or waits until the holder has. */
export async function ensureWebhookWithLock(
  api: WebhookApi,
  spec: WebhookSpec,
  log: Logger,
  lock: WebhookLock,
  pollMs = 500,
): Promise<WebhookRecord> {
  let told = false;
  for (;;) {
    if (lock.held()) return (await ensureWebhook(api, spec, log)).webhook;
    const existing = (await listAllWebhooks(api)).find((h) => sameSubscription(h, spec) && h.status === 'active');
    if (existing) {
      log.debug('webhook registered by another instance', {
        webhookId: existing.id,
        resource: spec.resource,
        event: spec.event,
      });
      return existing;
    }
    if (!told)
      log.info('waiting for the instance holding the reconciler lock to register the webhook', {
        resource: spec.resource,
        event: spec.event,
      });
    told = true;
    await lock.wait(pollMs);
  }
}
