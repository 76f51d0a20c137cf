/**
 * What the HTTP layer hands verified events to: the in-process {@link EventPipeline} of one
 * instance, or the Redis-backed queue several instances share (`src/scale/durable-pipeline.ts`).
 */
import type { WebhookEnvelope } from '../protocol/envelope.js';
import type { WebexEnvelopeHandler } from './types.js';

/** Where a delivery came from, for the trace. */
export interface DeliveryOrigin {
  /** The correlation id to give the event (default: a fresh one). */
  readonly eventId?: string;
  /** The id of the HTTP request that carried it (the webhook route's `X-Request-Id`). */
  readonly requestId?: string;
}

/** What became of a delivery handed to {@link EventIntake.accept}. */
export type IntakeResult =
  /** A new event, taken: it will be handled (on this instance or, with a shared queue, another). */
  | { readonly status: 'accepted'; readonly eventId: string }
  /** A delivery of an event already taken: nothing more is done. */
  | { readonly status: 'duplicate'; readonly eventId: string; readonly originalEventId: string | undefined }
  /** Not taken now (the shared store is unreachable); Webex should deliver it again later. */
  | { readonly status: 'unavailable'; readonly reason: string };

/** Takes events, has them handled once each, in order within a space. */
export interface EventIntake {
  /** Events being handled (or queued) here and not finished. */
  readonly inFlight: number;
  /** When the last delivery arrived (epoch ms; 0 before the first). */
  readonly lastDeliveryAt: number;
  /**
   * Sets the processor; events taken before this wait for it.
   * @param ownPersonId the bot's person id: the echoes of its own messages need no handling
   */
  setHandler(handler: WebexEnvelopeHandler, ownPersonId?: string): void;
  /** Claims a verified envelope; resolves once the event is safely taken (or refused). */
  accept(envelope: WebhookEnvelope, origin?: DeliveryOrigin): Promise<IntakeResult>;
  /** Waits until the events being handled here are finished, or `timeoutMs` passes; true when they are. */
  drain(timeoutMs: number): Promise<boolean>;
}
