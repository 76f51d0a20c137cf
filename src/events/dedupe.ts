/**
 * Exactly-once handling of webhook events: Webex may deliver one event several times (a
 * redelivery, two deliveries at the same moment, or — with several instances — to two
 * instances). Each event is claimed by its identity (`resource + event + data.id`) before
 * anything else is done with it; only the delivery that wins the claim is handled.
 *
 * The claim lives in a {@link KeyValueStore}: in memory for one instance, a shared store for
 * several. It is kept for `ttlMs`, longer than Webex goes on redelivering.
 */
import { eventKey, type WebhookEnvelope } from '../protocol/envelope.js';
import type { KeyValueStore } from '../store/types.js';

/** How long an event is remembered by default: 6 hours. */
export const DEFAULT_DEDUPE_TTL_MS = 6 * 60 * 60 * 1000;

/** The outcome of claiming an event. */
export type ClaimResult =
  | { readonly first: true }
  /** Already claimed; `originalEventId` is the correlation id of the delivery that won. */
  | { readonly first: false; readonly originalEventId: string | undefined };

/** Claims events by their identity. */
export class EventDeduper {
  constructor(
    private readonly store: KeyValueStore,
    private readonly ttlMs = DEFAULT_DEDUPE_TTL_MS,
  ) {}

  /** Claims the event of `envelope` for the delivery with correlation id `eventId`. */
  async claim(envelope: WebhookEnvelope, eventId: string): Promise<ClaimResult> {
    const key = eventKey(envelope);
    if (await this.store.claim(key, eventId, { ttlMs: this.ttlMs })) return { first: true };
    const original = await this.store.get<string>(key);
    return { first: false, originalEventId: typeof original === 'string' ? original : undefined };
  }

  /** Forgets the claim, so that a later delivery of the event is handled (used when a delivery is refused after claiming). */
  async release(envelope: WebhookEnvelope): Promise<void> {
    await this.store.delete(eventKey(envelope));
  }
}
