/**
 * The event pipeline: verified webhook envelopes in, each event handled once, to completion,
 * in order within a space, with a correlation id in every log line. The HTTP layer hands events
 * over and answers Webex as soon as the event is claimed; handling happens afterwards.
 */
import { randomBytes } from 'node:crypto';
import { withEventLog } from '../log-context.js';
import type { Logger } from '../logging.js';
import type { WebhookEnvelope } from '../protocol/envelope.js';
import { KeyedSerialQueue } from '../util/keyed-queue.js';
import type { EventDeduper } from './dedupe.js';
import type { WebexEnvelopeHandler } from './types.js';

/** A fresh correlation id (12 hex characters): short enough to read out to support. */
export function newEventId(): string {
  return randomBytes(6).toString('hex');
}

/** What became of a delivery handed to {@link EventPipeline.accept}. */
export type AcceptResult =
  /** A new event: it is being handled; `done` settles when it is (it never rejects). */
  | { readonly status: 'accepted'; readonly eventId: string; readonly done: Promise<void> }
  /** A delivery of an event already handled or being handled: nothing more is done. */
  | { readonly status: 'duplicate'; readonly eventId: string; readonly originalEventId: string | undefined };

/** Hands events to the processor (once it is ready) and tracks them until done. */
export class EventPipeline {
  private readonly queue = new KeyedSerialQueue();
  private handler: WebexEnvelopeHandler | undefined;
  private readonly readyWaiters: Array<(h: WebexEnvelopeHandler) => void> = [];
  private lastAccepted = 0;

  constructor(
    private readonly log: Logger,
    private readonly dedupe: EventDeduper,
  ) {}

  /** Events accepted and not finished. */
  get inFlight(): number {
    return this.queue.size;
  }

  /** When the last delivery arrived (epoch ms; 0 before the first). */
  get lastDeliveryAt(): number {
    return this.lastAccepted;
  }

  /** Sets the processor; events accepted before this wait for it (nothing is dropped at start-up). */
  setHandler(handler: WebexEnvelopeHandler): void {
    this.handler = handler;
    this.readyWaiters.splice(0).forEach((w) => w(handler));
  }

  private ready(): Promise<WebexEnvelopeHandler> {
    if (this.handler) return Promise.resolve(this.handler);
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /**
   * Claims and accepts a verified envelope. Resolves as soon as the event is claimed (before any
   * Webex call): with `accepted` for a new event, `duplicate` for another delivery of one.
   */
  async accept(envelope: WebhookEnvelope, eventId = newEventId()): Promise<AcceptResult> {
    this.lastAccepted = Date.now();
    const log = this.log.child({ eventId });
    const claim = await this.dedupe.claim(envelope, eventId);
    if (!claim.first) {
      log.debug('duplicate delivery ignored', { resource: envelope.resource, event: envelope.event, originalEventId: claim.originalEventId });
      return { status: 'duplicate', eventId, originalEventId: claim.originalEventId };
    }
    const key = envelope.data.roomId ?? 'no-space';
    log.debug('event accepted', { resource: envelope.resource, event: envelope.event, roomId: envelope.data.roomId });
    const started = Date.now();
    const done = this.queue.run(key, async () => {
      try {
        const handler = await this.ready();
        const outcome = await withEventLog(log, () => handler(envelope, { eventId, log }));
        // The bot's own messages come back through its webhook: routine, so only at debug.
        const level = outcome.kind === 'own-message' ? 'debug' : 'info';
        log[level]('event done', { resource: envelope.resource, outcome: outcome.kind, ms: Date.now() - started });
      } catch (err) {
        log.error('event failed', { err, resource: envelope.resource, ms: Date.now() - started });
      }
    });
    return { status: 'accepted', eventId, done };
  }

  /**
   * Waits until every accepted event is finished, or `timeoutMs` passes.
   * @returns true when everything finished.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const finished = await Promise.race([this.queue.onIdle().then(() => true as const), timedOut]);
    clearTimeout(timer);
    return finished;
  }
}
