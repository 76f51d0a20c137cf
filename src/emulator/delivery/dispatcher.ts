/**
 * Webhook delivery: every Webex event is POSTed to each active webhook that hears it, signed when
 * the webhook has a secret. A failed POST (non-2xx, timeout, refused) is retried after each of
 * `retryDelaysMs`; an event that still fails counts against its webhook, and after
 * `inactiveAfterFailures` consecutive failed events the webhook goes `inactive`, as in Webex.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { WebexEvent } from '../events.js';
import { mintTrackingId } from '../ids.js';
import type { Core } from '../service/core.js';
import { TimerSet } from '../timers.js';
import { publicWebhook } from '../service/webhooks.js';
import type { DeliveryAttempt, DeliveryOptions, DeliveryRecord } from '../types.js';
import { SIGNATURE_HEADER, signBody } from '../../protocol/signature.js';
import { buildEnvelope } from './envelope.js';
import { webhookHears } from './match.js';
import { postToLoopback } from './transport.js';

/** Delivery settings with every default filled in. */
export type DeliverySettings = Required<DeliveryOptions>;

/** Defaults: Webex does not publish its own; these keep a dead bot from being hammered. */
export const DEFAULT_DELIVERY: Readonly<DeliverySettings> = { timeoutMs: 5000, retryDelaysMs: [500, 2000, 5000], inactiveAfterFailures: 5 };

/** Delivery records kept for `deliveries()` (oldest are dropped first). */
const MAX_RECORDS = 2000;

/** Validates delivery options (throws a TypeError naming the bad one) and fills in defaults. */
export function deliverySettings(options: DeliveryOptions = {}): DeliverySettings {
  const s: DeliverySettings = { ...DEFAULT_DELIVERY, ...options };
  const ms = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (!ms(s.timeoutMs) || s.timeoutMs === 0) throw new TypeError(`delivery.timeoutMs must be a positive number (got ${String(s.timeoutMs)})`);
  if (!Array.isArray(s.retryDelaysMs) || !s.retryDelaysMs.every(ms)) throw new TypeError('delivery.retryDelaysMs must be an array of non-negative numbers');
  if (!Number.isInteger(s.inactiveAfterFailures) || s.inactiveAfterFailures < 1) {
    throw new TypeError(`delivery.inactiveAfterFailures must be a positive integer (got ${String(s.inactiveAfterFailures)})`);
  }
  return { ...s, retryDelaysMs: [...s.retryDelaysMs] };
}

/** Delivers Webex events to webhooks; one per emulator. */
export class WebhookDispatcher {
  private readonly recordList: DeliveryRecord[] = [];
  private readonly abort = new AbortController();
  private readonly timers = new TimerSet();
  private readonly running = new Set<Promise<void>>();
  private readonly unsubscribe: () => void;
  private stopped = false;

  constructor(
    private readonly core: Core,
    private readonly settings: DeliverySettings,
  ) {
    this.unsubscribe = core.bus.onWebexEvent((e) => this.dispatch(e));
  }

  /** Copies of the delivery records, oldest first. */
  records(): DeliveryRecord[] {
    return structuredClone(this.recordList);
  }

  /** Starts delivering `e` to every webhook that hears it (returns before any POST completes). */
  dispatch(e: WebexEvent): void {
    if (this.stopped) return;
    const { store } = this.core;
    for (const record of store.allWebhookRecords()) {
      const owner = store.person(record.ownerId);
      if (!owner || !webhookHears(record, owner, e)) continue;
      const webhook = record.webhook;
      const body = JSON.stringify(buildEnvelope(webhook, e));
      const bytes = Buffer.from(body, 'utf8');
      const signature = webhook.secret ? signBody(webhook.secret, bytes) : undefined;
      const delivery: DeliveryRecord = {
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
      this.recordList.push(delivery);
      if (this.recordList.length > MAX_RECORDS) this.recordList.shift();
      const run: Promise<void> = this.run(delivery, bytes).finally(() => this.running.delete(run));
      this.running.add(run);
    }
  }

  /** Stops: cancels waits and in-flight POSTs, and resolves when every delivery has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    this.abort.abort();
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private async run(d: DeliveryRecord, bytes: Buffer): Promise<void> {
    const { store, log } = this.core;
    const attempts = 1 + this.settings.retryDelaysMs.length;
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Webex-Emulator/1.0 (webex-skill-bot)',
      trackingid: mintTrackingId('WEBHOOK'),
      ...(d.signature ? { [SIGNATURE_HEADER]: d.signature } : {}),
    };
    let reason = '';
    for (let n = 1; n <= attempts; n++) {
      const live = store.webhookRecord(d.webhookId);
      if (this.stopped) return this.end(d, 'cancelled', 'emulator stopped');
      if (!live) return this.end(d, 'cancelled', 'webhook deleted');
      if (live.webhook.status !== 'active') return this.end(d, 'cancelled', 'webhook inactive');
      const at = new Date().toISOString();
      const started = performance.now();
      const result = await postToLoopback(d.targetUrl, bytes, headers, this.settings.timeoutMs, this.abort.signal);
      if (this.stopped) return this.end(d, 'cancelled', 'emulator stopped');
      const attempt: DeliveryAttempt = {
        attempt: n,
        at,
        ...(result.status !== undefined ? { status: result.status } : {}),
        ...(!result.ok && result.error ? { error: result.error } : {}),
        ms: Math.round(performance.now() - started),
      };
      d.attempts.push(attempt);
      const last = result.ok || (!result.ok && result.permanent) || n === attempts;
      d.state = result.ok ? 'delivered' : last ? 'failed' : 'pending';
      if (!result.ok) reason = result.error ?? `HTTP ${result.status ?? 0}`;
      if (d.state === 'failed') d.reason = reason;
      this.core.bus.emit({
        kind: 'delivery',
        deliveryId: d.id,
        webhookId: d.webhookId,
        webhookName: d.webhookName,
        targetUrl: d.targetUrl,
        resource: d.resource,
        event: d.event,
        dataId: d.dataId,
        attempt: n,
        ...(attempt.status !== undefined ? { status: attempt.status } : {}),
        ...(attempt.error ? { error: attempt.error } : {}),
        ms: attempt.ms,
        state: d.state,
        signed: d.signature !== undefined,
        body: d.body,
      });
      log.debug('webhook delivery attempt', { webhookId: d.webhookId, resource: d.resource, event: d.event, attempt: n, status: attempt.status, error: attempt.error });
      if (result.ok) {
        live.consecutiveFailures = 0;
        return;
      }
      if (last) break;
      await this.timers.delay(this.settings.retryDelaysMs[n - 1] ?? 0);
    }
    log.warn('webhook delivery failed', { webhookId: d.webhookId, resource: d.resource, event: d.event, reason });
    this.noteFailure(d.webhookId);
  }

  private end(d: DeliveryRecord, state: 'cancelled', reason: string): void {
    d.state = state;
    d.reason = reason;
  }

  private noteFailure(webhookId: string): void {
    const live = this.core.store.webhookRecord(webhookId);
    if (!live) return;
    live.consecutiveFailures += 1;
    if (live.webhook.status === 'active' && live.consecutiveFailures >= this.settings.inactiveAfterFailures) {
      live.webhook.status = 'inactive';
      this.core.log.warn('webhook is now inactive after repeated delivery failures', { webhookId, failures: live.consecutiveFailures });
      this.core.bus.emit({ kind: 'webhook', change: 'inactive', webhook: publicWebhook(live.webhook) });
    }
  }
}
