/**
 * Webhook delivery: every Webex event is POSTed to each active webhook that hears it, signed when
 * the webhook has a secret. A failed POST (non-2xx, timeout, refused) is retried after each of
 * `retryDelaysMs`; an event that still fails counts against its webhook, and after
 * `inactiveAfterFailures` consecutive failed events the webhook goes `inactive`, as in Webex.
 * Like Webex, it can deliver an event more than once: on request (`redeliver`) or, with the
 * `duplicates` option, for a fraction of events; each repeat is a delivery of its own.
 */
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { notFound } from '../errors.js';
import type { WebexEvent } from '../events.js';
import { mintTrackingId } from '../ids.js';
import type { Core } from '../service/core.js';
import { TimerSet } from '../timers.js';
import { publicWebhook } from '../service/webhooks.js';
import type { DeliveryAttempt, DeliveryRecord, RedeliverOptions } from '../types.js';
import { DuplicatePlanner, type TwinPlan } from './duplicates.js';
import { webhookHears } from './match.js';
import { deliveryHeaders, firstDelivery, repeatOf } from './record.js';
import type { DeliverySettings } from './settings.js';
import { postToLoopback } from './transport.js';

/** Delivery records kept for `deliveries()` (oldest are dropped first). */
const MAX_RECORDS = 2000;

/** Delivers Webex events to webhooks; one per emulator. */
export class WebhookDispatcher {
  private readonly recordList: DeliveryRecord[] = [];
  private readonly abort = new AbortController();
  private readonly timers = new TimerSet();
  private readonly running = new Set<Promise<unknown>>();
  private readonly unsubscribe: () => void;
  private readonly twins: DuplicatePlanner | undefined;
  private stopped = false;

  constructor(
    private readonly core: Core,
    private readonly settings: DeliverySettings,
  ) {
    // Every POST in flight listens for the abort; a load test has far more than the default 10.
    setMaxListeners(0, this.abort.signal);
    this.twins =
      settings.duplicates && settings.duplicates.rate > 0 ? new DuplicatePlanner(settings.duplicates) : undefined;
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
      const delivery = this.keep(firstDelivery(record.webhook, e));
      const twin = this.twins?.next();
      if (twin) this.deliverWithTwin(delivery, twin);
      else this.track(this.run(delivery));
    }
  }

  /**
   * Sends `deliveryId`'s body again, `copies` times, one after the other or all at once;
   * resolves with the copies once each has ended. 404 when the id is unknown (or long gone).
   */
  async redeliver(deliveryId: string, options: Required<RedeliverOptions>): Promise<DeliveryRecord[]> {
    if (this.stopped) throw new Error('redeliver: the emulator stopped');
    const source = this.recordList.find((d) => d.id === deliveryId);
    if (!source) throw notFound(`No delivery with id ${deliveryId} (the emulator keeps the last ${MAX_RECORDS})`);
    const copies = Array.from({ length: options.copies }, () =>
      this.keep(repeatOf(source, 'redeliver', options.concurrent)),
    );
    if (options.concurrent) await Promise.all(copies.map((d) => this.track(this.run(d))));
    else {
      await this.track(
        (async () => {
          for (const d of copies) await this.run(d);
        })(),
      );
    }
    return structuredClone(copies);
  }

  /** Stops: cancels waits and in-flight POSTs, and resolves when every delivery has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    this.abort.abort();
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  /** Records `d` (dropping the oldest records past the limit) and returns it. */
  private keep(d: DeliveryRecord): DeliveryRecord {
    this.recordList.push(d);
    if (this.recordList.length > MAX_RECORDS) this.recordList.shift();
    return d;
  }

  /** Keeps `p` until it settles, so that `stop()` can wait for it. */
  private track<T>(p: Promise<T>): Promise<T> {
    const tracked = p.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
    return tracked;
  }

  /** Delivers `original` and a twin of it: both at once, or the twin once the original ended. */
  private deliverWithTwin(original: DeliveryRecord, plan: TwinPlan): void {
    const twin = this.keep(repeatOf(original, 'duplicate', plan.concurrent));
    const first = this.track(this.run(original));
    if (plan.concurrent) this.track(this.run(twin));
    else this.track(first.then(() => this.timers.delay(plan.delayMs)).then(() => this.run(twin)));
  }

  /** POSTs the record's exact body, with retries, until delivered, failed or cancelled. */
  private async run(d: DeliveryRecord): Promise<void> {
    const { store, log } = this.core;
    const attempts = 1 + this.settings.retryDelaysMs.length;
    const bytes = Buffer.from(d.body, 'utf8');
    const headers = deliveryHeaders(d, mintTrackingId('WEBHOOK'));
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
      this.reportAttempt(d, attempt);
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

  /** Emits the `delivery` event of an attempt just made, and logs it. */
  private reportAttempt(d: DeliveryRecord, attempt: DeliveryAttempt): void {
    this.core.bus.emit({
      kind: 'delivery',
      deliveryId: d.id,
      webhookId: d.webhookId,
      webhookName: d.webhookName,
      targetUrl: d.targetUrl,
      resource: d.resource,
      event: d.event,
      dataId: d.dataId,
      attempt: attempt.attempt,
      ...(attempt.status !== undefined ? { status: attempt.status } : {}),
      ...(attempt.error ? { error: attempt.error } : {}),
      ms: attempt.ms,
      state: d.state,
      signed: d.signature !== undefined,
      body: d.body,
      ...(d.redeliveryOf !== undefined && d.redeliveryCause !== undefined
        ? { redeliveryOf: d.redeliveryOf, redeliveryCause: d.redeliveryCause }
        : {}),
    });
    this.core.log.debug('webhook delivery attempt', {
      webhookId: d.webhookId,
      resource: d.resource,
      event: d.event,
      attempt: attempt.attempt,
      status: attempt.status,
      error: attempt.error,
    });
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
      this.core.log.warn('webhook is now inactive after repeated delivery failures', {
        webhookId,
        failures: live.consecutiveFailures,
      });
      this.core.bus.emit({ kind: 'webhook', change: 'inactive', webhook: publicWebhook(live.webhook) });
    }
  }
}
