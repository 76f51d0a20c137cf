import type { Logger } from '../logging.js';
import type { WebhookEnvelope } from '../protocol/envelope.js';
import type { ReplyJournal } from '../outbound/reply-journal.js';

/** What an event is handled with: its correlation id, a logger carrying it, and (with a shared queue) its reply journal. */
export interface EventTrace {
  readonly eventId: string;
  readonly log: Logger;
  /** With a shared queue: where the event's replies are written down as they go out. */
  readonly journal?: ReplyJournal | undefined;
}

/** Processes one event to completion and says how it ended (see `process-event.ts`). */
export type EventProcessor = (envelope: WebhookEnvelope, trace: EventTrace) => Promise<{ readonly kind: string }>;
