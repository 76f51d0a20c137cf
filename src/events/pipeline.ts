/**
 * The embedded event queue (one instance, no Redis): each event claimed once, then handled to
 * completion, in order within a space, at most `maxSpaces` spaces at once and `maxQueued` events
 * held. The receivers answer Webex as soon as the event is claimed; handling happens afterwards.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { Logger } from '../logging.js';
import { NO_METRICS, type BotMetrics } from '../metrics/types.js';
import type { WebhookEnvelope } from '../protocol/envelope.js';
import { KeyedSerialQueue } from '../util/keyed-queue.js';
import { Throttle } from '../util/throttle.js';
import { within } from '../util/within.js';
import { type EventClaims, memoryClaims } from './claims.js';
import { EventDeduper } from './dedupe.js';
import { earlierAttempts, type PendingEvent } from './journal/index.js';
import { decideTakeover, type FindPosted } from './takeover.js';
import type { DeliveryTrace, EventQueue, IntakeResult } from './intake.js';
import type { EventProcessor, EventTrace } from './types.js';
import { withEventLog } from '../log-context.js';

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

/** Events a journaled queue finds unfinished at start-up (accepted before the process stopped). */
export interface Recovery {
  readonly pending: readonly PendingEvent[];
  /** How long a reply POST may still land after it started (one Webex call's timeout). */
  readonly inDoubtMs: number;
  /** Handlings after which an event is dropped (a poisonous event must not stop every restart). */
  readonly maxAttempts: number;
}

/** Defaults of {@link PipelineLimits}. */
export const DEFAULT_PIPELINE_LIMITS = { maxSpaces: 100, maxQueued: 10_000 } as const;

/** The skill an outcome names, for metrics (`none` when no skill ran). */
function skillOf(outcome: { kind: string; skill?: unknown }): string {
  return typeof outcome.skill === 'string' ? outcome.skill : 'none';
}

/** An outcome kind as a metrics label value (`unknown-command` → `unknown_command`). */
function outcomeLabel(kind: string): string {
  return kind.replace(/-/g, '_');
}

/**
 * Runs `process` on one taken event, as both event queues do: with the event's correlation id in
 * every log line, then one line saying how it ended ("event done" with the outcome and how long it
 * waited and ran, or "event failed"), and the metrics. Never rejects.
 * @param acceptedAt when the event was taken (for the time it waited in its space's queue)
 */
export async function runEvent(
  process: EventProcessor,
  envelope: WebhookEnvelope,
  trace: EventTrace,
  acceptedAt = Date.now(),
  metrics: BotMetrics = NO_METRICS,
): Promise<void> {
  const { log } = trace;
  const started = Date.now();
  try {
    const outcome = await withEventLog(log, () => process(envelope, trace));
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
export class EventPipeline implements EventQueue {
  private readonly queue = new KeyedSerialQueue();
  private readonly slots: LimitFunction;
  private readonly maxQueued: number;
  private readonly refusals = new Throttle(10_000);
  private handler: EventProcessor | undefined;
  private readonly readyWaiters: Array<(h: EventProcessor) => void> = [];
  private running = 0;
  private readonly claims: EventClaims;
  private findPosted: FindPosted = async () => 'unknown';

  /**
   * @param claims where events are claimed: in memory (an {@link EventDeduper}), or the event journal
   * @param recovery with the journal: the events the last process accepted and did not finish
   */
  constructor(
    private readonly log: Logger,
    claims: EventClaims | EventDeduper,
    private readonly metrics: BotMetrics = NO_METRICS,
    limits: PipelineLimits = {},
    private readonly recovery?: Recovery,
  ) {
    this.claims = claims instanceof EventDeduper ? memoryClaims(claims) : claims;
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

  /** Sets how a reply in doubt after a restart is looked for in Webex (before {@link setHandler}). */
  useWebex(findPosted: FindPosted): void {
    this.findPosted = findPosted;
  }

  /**
   * Sets the processor; events accepted before this wait for it (nothing is dropped at start-up).
   * The events the last process left unfinished are taken up first, each in its space's turn.
   */
  setHandler(handler: EventProcessor): void {
    this.handler = handler;
    for (const w of this.readyWaiters.splice(0)) w(handler);
    for (const pending of this.recovery?.pending ?? []) this.resume(pending);
  }

  /** Handles an event the last process left unfinished, unless it provably was answered (`takeover.ts`). */
  private resume(pending: PendingEvent): void {
    const { eventId, envelope } = pending;
    const log = this.log.child({ eventId });
    log.info('event taken up again after a restart', { resource: envelope.resource, attempts: pending.attempts });
    void this.queue.run(envelope.data.roomId ?? 'no-space', async () => {
      const verdict = await decideTakeover(earlierAttempts(pending), {
        findPosted: this.findPosted,
        recordedReplies: async () => new Set(pending.replies),
        recordPosted: (id) => this.claims.replies(eventId, log)?.posted(id) ?? Promise.resolve(),
        inDoubtMs: this.recovery!.inDoubtMs,
        maxAttempts: this.recovery!.maxAttempts,
        log,
      }).catch((err: unknown) => {
        log.error('could not check whether an event taken up again was answered: not answering it again', { err });
        return { handle: false as const, reason: 'check failed' };
      });
      if (verdict.handle) await this.handleNow(envelope, eventId, log, pending.acceptedAt, true);
      else this.claims.done(eventId);
    });
  }

  /** Runs the processor on one event, in a slot, recording its start and end. */
  private async handleNow(
    envelope: WebhookEnvelope,
    eventId: string,
    log: Logger,
    acceptedAt: number,
    again = false,
  ): Promise<void> {
    const handler = await this.ready();
    await this.slots(async () => {
      this.running++;
      try {
        await this.claims.started(eventId, again);
        const journal = this.claims.replies(eventId, log);
        await runEvent(handler, envelope, { eventId, log, journal }, acceptedAt, this.metrics);
      } catch (err) {
        log.error('event not handled: its start could not be recorded', { err });
      } finally {
        this.running--;
        this.claims.done(eventId);
      }
    });
  }

  private ready(): Promise<EventProcessor> {
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
  async accept(envelope: WebhookEnvelope, trace: DeliveryTrace): Promise<IntakeResult> {
    const { eventId, requestId, body } = trace;
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
    let claim: Awaited<ReturnType<EventClaims['claim']>>;
    try {
      claim = await this.claims.claim(envelope, eventId, body);
    } catch (err) {
      // The journal cannot take it (the disk failed): Webex delivers it again later.
      log.error('event refused for now: it could not be made durable', { err, resource: envelope.resource });
      return { status: 'unavailable', reason: 'the event could not be stored' };
    }
    if (!claim.first) {
      this.metrics.dedupeHit();
      log.debug('duplicate delivery ignored', {
        requestId,
        resource: envelope.resource,
        event: envelope.event,
        originalEventId: claim.originalEventId,
      });
      return { status: 'duplicate', eventId, originalEventId: claim.originalEventId };
    }
    const key = envelope.data.roomId ?? 'no-space';
    log.info('event accepted', {
      requestId,
      resource: envelope.resource,
      event: envelope.event,
      roomId: envelope.data.roomId,
    });
    const accepted = Date.now();
    void this.queue.run(key, () => this.handleNow(envelope, eventId, log, accepted));
    return { status: 'accepted', eventId };
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
