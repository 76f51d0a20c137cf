/**
 * The intake: where every receiver (the webhook route, the event socket) hands the envelopes it
 * verified, and the one place that decides whether an event is taken. In this order:
 * 1. the bot's state: while it drains, while Webex rejects its token, while Redis is
 *    unreachable, nothing is taken (`unavailable`: Webex delivers a webhook again later);
 * 2. the echo of the bot's own message (half of all deliveries) is settled at once, never
 *    claimed or queued;
 * 3. the event queue claims the event (a redelivery is a `duplicate`) and keeps it until it is
 *    handled: the in-process {@link EventPipeline} or, with `REDIS_URL`, the queue several
 *    instances share (`src/scale/durable-pipeline.ts`).
 * One result type, {@link IntakeResult}, goes back to the receiver, which answers Webex with it.
 */
import type { Logger } from '../logging.js';
import type { BotMetrics } from '../metrics/types.js';
import type { WebhookEnvelope } from '../protocol/envelope.js';
import type { Readiness } from '../readiness.js';
import { shortId } from '../util/short-id.js';
import { settledAsOwnEcho } from './own-echo.js';
import type { FindPosted } from './takeover.js';
import type { EventProcessor } from './types.js';

/** What became of an envelope handed to the intake. */
export type IntakeResult =
  /** A new event, taken: it will be handled (here or, with a shared queue, on another instance). */
  | { readonly status: 'accepted'; readonly eventId: string }
  /** A delivery of an event already taken: nothing more is done. */
  | { readonly status: 'duplicate'; readonly eventId: string; readonly originalEventId: string | undefined }
  /** Not taken now; Webex should deliver it again later (a webhook is answered 503). */
  | { readonly status: 'unavailable'; readonly reason: string };

/** How one delivery is traced: its correlation id, and the HTTP request that carried it. */
export interface DeliveryTrace {
  /** The correlation id given to the event (in every log line about it, and in apologies). */
  readonly eventId: string;
  /** The id of the HTTP request that carried it (the webhook route's `X-Request-Id`). */
  readonly requestId?: string | undefined;
  /** The raw JSON the envelope was parsed from (a webhook's body), for the journal to keep as it came. */
  readonly body?: Buffer | undefined;
}

/**
 * Keeps events until they are handled, once each, in order within a space: the embedded
 * {@link EventPipeline} or the Redis-backed `DurablePipeline`.
 */
export interface EventQueue {
  /** Events being handled (or queued) here and not finished. */
  readonly inFlight: number;
  /** Events being handled now. */
  readonly handling: number;
  /** Events waiting for their turn here. */
  readonly queued: number;
  /** Sets how a reply in doubt (its instance stopped mid-POST) is looked for in Webex; before {@link setHandler}. */
  useWebex(findPosted: FindPosted): void;
  /** Sets what handles each event; events taken before this wait for it. */
  setHandler(process: EventProcessor): void;
  /** Claims a verified envelope; resolves once the event is safely taken, or refused. */
  accept(envelope: WebhookEnvelope, trace: DeliveryTrace): Promise<IntakeResult>;
  /** Waits until the events being handled here are finished, or `timeoutMs` passes; true when they are. */
  drain(timeoutMs: number): Promise<boolean>;
}

/** Readiness conditions under which nothing is taken, with what the receiver is told. */
const REFUSING: ReadonlyArray<readonly [condition: string, reason: string]> = [
  ['draining', 'the bot is shutting down'],
  ['token', 'Webex rejected the bot token'],
  ['redis', 'Redis is unreachable'],
];

/** Where receivers hand envelopes (see the file's comment). */
export class Intake {
  private lastAccepted = 0;
  private ownPersonId: string | undefined;

  constructor(
    readonly queue: EventQueue,
    private readonly readiness: Readiness,
    private readonly log: Logger,
    private readonly metrics?: BotMetrics,
  ) {}

  /** When the last delivery arrived (epoch ms; 0 before the first), for the webhook watchdog. */
  get lastDeliveryAt(): number {
    return this.lastAccepted;
  }

  /** Events taken and not finished. */
  get inFlight(): number {
    return this.queue.inFlight;
  }

  /** Starts handling: `process` handles each event; the echoes of `ownPersonId`'s messages are settled at once. */
  start(process: EventProcessor, ownPersonId: string): void {
    this.ownPersonId = ownPersonId;
    this.queue.setHandler(process);
  }

  /**
   * Takes a verified envelope (see the file's comment for the order of the checks).
   * @example const result = await intake.accept(envelope, { requestId }); // { status: 'accepted', eventId: '3f2a…' }
   */
  async accept(
    envelope: WebhookEnvelope,
    origin: { readonly requestId?: string; readonly body?: Buffer } = {},
  ): Promise<IntakeResult> {
    this.lastAccepted = Date.now();
    for (const [condition, reason] of REFUSING) {
      if (this.readiness.isUnmet(condition)) return { status: 'unavailable', reason };
    }
    const trace: DeliveryTrace = { eventId: shortId(), requestId: origin.requestId, body: origin.body };
    if (settledAsOwnEcho(envelope, this.ownPersonId, { log: this.log, metrics: this.metrics, ...trace })) {
      return { status: 'accepted', eventId: trace.eventId };
    }
    return this.queue.accept(envelope, trace);
  }

  /** Waits until the events taken are finished, or `timeoutMs` passes; true when they are. */
  drain(timeoutMs: number): Promise<boolean> {
    return this.queue.drain(timeoutMs);
  }
}
