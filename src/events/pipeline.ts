/**
 * The event pipeline: verified webhook envelopes in, each handled to completion, in order
 * within a space, with a correlation id in every log line. The HTTP layer hands events over
 * and answers Webex at once; this is where they are processed afterwards.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../logging.js';
import type { WebexEnvelopeHandler } from './types.js';
import { KeyedSerialQueue } from './keyed-queue.js';
import type { WebhookEnvelope } from '../protocol/envelope.js';

/** A fresh correlation id (12 hex characters): short enough to read out to support. */
export function newEventId(): string {
  return randomBytes(6).toString('hex');
}

/** Hands events to the processor (once it is ready) and tracks them until done. */
export class EventPipeline {
  private readonly queue = new KeyedSerialQueue();
  private handler: WebexEnvelopeHandler | undefined;
  private readonly readyWaiters: Array<(h: WebexEnvelopeHandler) => void> = [];
  private readonly log: Logger;

  constructor(log: Logger) {
    this.log = log;
  }

  /** Events accepted and not finished. */
  get inFlight(): number {
    return this.queue.size;
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
   * Accepts a verified envelope for processing; returns its correlation id at once.
   * `done` (for tests and callers that care) settles when processing has finished; it never rejects.
   */
  accept(envelope: WebhookEnvelope, eventId = newEventId()): { eventId: string; done: Promise<void> } {
    const log = this.log.child({ eventId });
    const key = envelope.data.roomId ?? 'no-space';
    log.debug('event accepted', { resource: envelope.resource, event: envelope.event, roomId: envelope.data.roomId });
    const started = Date.now();
    const done = this.queue.run(key, async () => {
      try {
        const handler = await this.ready();
        const outcome = await handler(envelope, { eventId, log });
        // The bot's own messages come back through its webhook: routine, so only at debug.
        const level = outcome.kind === 'own-message' ? 'debug' : 'info';
        log[level]('event done', { resource: envelope.resource, outcome: outcome.kind, ms: Date.now() - started });
      } catch (err) {
        log.error('event failed', { err, resource: envelope.resource, ms: Date.now() - started });
      }
    });
    return { eventId, done };
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
