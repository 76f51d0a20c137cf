/**
 * The event pipeline: verified webhook envelopes in, each event handled once, to completion,
 * in order within a space, with a correlation id in every log line. The HTTP layer hands events
 * over and answers Webex as soon as the event is claimed; handling happens afterwards.
 */
import { withEventLog } from '../log-context.js';
import type { Logger } from '../logging.js';
import { NO_METRICS, type BotMetrics } from '../metrics/types.js';
import type { WebhookEnvelope } from '../protocol/envelope.js';
import pLimit, { type LimitFunction } from 'p-limit';
import { KeyedSerialQueue } from '../util/keyed-queue.js';
import { Throttle } from '../util/throttle.js';
import { shortId } from '../util/short-id.js';
import type { EventDeduper } from './dedupe.js';
import type { DeliveryOrigin, EventIntake } from './intake.js';
import { settledAsOwnEcho } from './own-echo.js';

export type { DeliveryOrigin } from './intake.js';
import type { ReplyJournal } from './reply-journal.js';
import type { WebexEnvelopeHandler } from './types.js';
import { within } from '../util/within.js';

/** A fresh correlation id (12 hex characters): short enough to read out to support. */
export function newEventId(): string {
  return shortId();
}

/** The skill an outcome names, for metrics (`none` when no skill ran). */
function skillOf(outcome: { kind: string; skill?: unknown }): string {
  return typeof outcome.skill === 'string' ? outcome.skill : 'none';
}

/** An outcome kind as a metrics label value (`unknown-command` → `unknown_command`). */
function outcomeLabel(kind: string): string {
  return kind.replace(/-/g, '_');
}

/** What became of a delivery handed to {@link EventPipeline.accept}. */
export type AcceptResult =
  /** A new event: it is being handled; `done` settles when it is (it never rejects). */
  | { readonly status: 'accepted'; readonly eventId: string; readonly done: Promise<void> }
  /** A delivery of an event already handled or being handled: nothing more is done. */
  | { readonly status: 'duplicate'; readonly eventId: string; readonly originalEventId: string | undefined }
  /** Not taken: too many events wait already; Webex should deliver it again later. */
  | { readonly status: 'unavailable'; readonly reason: string };

/** How much work the pipeline holds. */
export interface PipelineLimits {
  /** Spaces whose events are handled at the same moment (default 100); the others wait their turn. */
  readonly maxSpaces?: number;
  /**
   * Events accepted and not finished, at most (default 10,000). Past it a delivery is refused
   * (503 with `Retry-After`) before it is claimed, so Webex delivers it again later: a burst
   * makes Webex wait rather than the process swell, and nothing acknowledged is dropped.
   */
  readonly maxQueued?: number;
}

/** Defaults of {@link PipelineLimits}. */
export const DEFAULT_PIPELINE_LIMITS = { maxSpaces: 100, maxQueued: 10_000 } as const;

/**
 * Runs `handler` on one event with its correlation id in every log line, logs how it ended
 * ("event done" with the outcome and how long it waited and ran, or "event failed") and reports
 * it to `metrics`. Never rejects.
 * @param acceptedAt when the event was accepted (for the time it waited in its space's queue)
 */
export async function handleAndLog(
  handler: WebexEnvelopeHandler,
  envelope: WebhookEnvelope,
  scope: { eventId: string; log: Logger; journal?: ReplyJournal },
  acceptedAt = Date.now(),
  metrics: BotMetrics = NO_METRICS,
): Promise<void> {
  const { log } = scope;
  const started = Date.now();
  try {
    const outcome = await withEventLog(log, () => handler(envelope, scope));
    // The bot's own messages come back through its webhook: routine, so only at debug.
    const level = outcome.kind === 'own-message' ? 'debug' : 'info';
    const skill = (outcome as { skill?: unknown }).skill;
    log[level]('event done', {
      resource: envelope.resource,
      outcome: outcome.kind,
      ...(typeof skill === 'string' ? { skill } : {}),
      ms: Date.now() - started,
      waitedMs: started - acceptedAt,
    });
    metrics.eventHandled(skillOf(outcome), outcomeLabel(outcome.kind), (Date.now() - started) / 1000);
  } catch (err) {
    log.error('event failed', { err, resource: envelope.resource, ms: Date.now() - started });
    metrics.eventHandled('none', 'error', (Date.now() - started) / 1000);
  }
}

/**
 * Hands events to the processor (once it is ready) and tracks them until done: one at a time per
 * space, at most `maxSpaces` spaces at once, at most `maxQueued` events held (see {@link PipelineLimits}).
 */
export class EventPipeline implements EventIntake {
  private readonly queue = new KeyedSerialQueue();
  private readonly slots: LimitFunction;
  private readonly maxQueued: number;
  private readonly refusals = new Throttle(10_000);
  private handler: WebexEnvelopeHandler | undefined;
  private readonly readyWaiters: Array<(h: WebexEnvelopeHandler) => void> = [];
  private lastAccepted = 0;
  private running = 0;
  private ownId: string | undefined;

  constructor(
    private readonly log: Logger,
    private readonly dedupe: EventDeduper,
    private readonly metrics: BotMetrics = NO_METRICS,
    limits: PipelineLimits = {},
  ) {
    const maxSpaces = limits.maxSpaces ?? DEFAULT_PIPELINE_LIMITS.maxSpaces;
    this.maxQueued = limits.maxQueued ?? DEFAULT_PIPELINE_LIMITS.maxQueued;
    if (!(maxSpaces >= 1) || !(this.maxQueued >= 1))
      throw new RangeError('the pipeline needs maxSpaces and maxQueued of at least 1');
    this.slots = pLimit(maxSpaces);
    metrics.watchPipeline(this);
  }

  /** Events accepted and not finished. */
  get inFlight(): number {
    return this.queue.size;
  }

  /** Events being handled now (the others in flight wait for their turn in their space). */
  get handling(): number {
    return this.running;
  }

  /** Events accepted and waiting for their turn. */
  get queued(): number {
    return this.queue.size - this.running;
  }

  /** When the last delivery arrived (epoch ms; 0 before the first). */
  get lastDeliveryAt(): number {
    return this.lastAccepted;
  }

  /**
   * Sets the processor; events accepted before this wait for it (nothing is dropped at start-up).
   * @param ownPersonId the bot's person id: the echoes of its own messages are answered at once, never queued
   */
  setHandler(handler: WebexEnvelopeHandler, ownPersonId?: string): void {
    this.handler = handler;
    this.ownId = ownPersonId;
    for (const w of this.readyWaiters.splice(0)) w(handler);
  }

  private ready(): Promise<WebexEnvelopeHandler> {
    if (this.handler) return Promise.resolve(this.handler);
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /**
   * Claims and accepts a verified envelope. Resolves as soon as the event is claimed (before any
   * Webex call): with `accepted` for a new event, `duplicate` for another delivery of one, and
   * `unavailable`, unclaimed, when `maxQueued` events are held already.
   *
   * The event's first log line links its correlation id to the HTTP request that carried it
   * (`requestId`); every later line carries the correlation id.
   */
  async accept(envelope: WebhookEnvelope, origin: DeliveryOrigin = {}): Promise<AcceptResult> {
    const eventId = origin.eventId ?? newEventId();
    this.lastAccepted = Date.now();
    // The echo of one of the bot's own messages needs nothing: answered at once, never queued, claimed or refused.
    if (
      settledAsOwnEcho(envelope, this.ownId, {
        log: this.log,
        metrics: this.metrics,
        eventId,
        requestId: origin.requestId,
      })
    ) {
      return { status: 'accepted', eventId, done: Promise.resolve() };
    }
    if (this.queue.size >= this.maxQueued) {
      // Checked before the claim: a refused delivery must find the event unclaimed when it comes back.
      const held = this.refusals.take();
      if (held !== undefined)
        this.log.warn('deliveries refused: too many events wait to be handled; Webex delivers them again later', {
          queued: this.queue.size,
          maxQueued: this.maxQueued,
          refusedSinceLastLine: held,
        });
      return { status: 'unavailable', reason: `the bot is busy: ${this.queue.size} events wait to be handled` };
    }
    const log = this.log.child({ eventId });
    const claim = await this.dedupe.claim(envelope, eventId);
    if (!claim.first) {
      this.metrics.dedupeHit();
      log.debug('duplicate delivery ignored', {
        requestId: origin.requestId,
        resource: envelope.resource,
        event: envelope.event,
        originalEventId: claim.originalEventId,
      });
      return { status: 'duplicate', eventId, originalEventId: claim.originalEventId };
    }
    const key = envelope.data.roomId ?? 'no-space';
    log.info('event accepted', {
      requestId: origin.requestId,
      resource: envelope.resource,
      event: envelope.event,
      roomId: envelope.data.roomId,
    });
    const accepted = Date.now();
    const done = this.queue.run(key, async () => {
      const handler = await this.ready();
      await this.slots(async () => {
        this.running++;
        try {
          await handleAndLog(handler, envelope, { eventId, log }, accepted, this.metrics);
        } finally {
          this.running--;
        }
      });
    });
    return { status: 'accepted', eventId, done };
  }

  /**
   * Waits until every accepted event is finished, or `timeoutMs` passes.
   * @returns true when everything finished.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    return (
      (await within(
        this.queue.onIdle().then(() => true),
        timeoutMs,
      )) ?? false
    );
  }
}
