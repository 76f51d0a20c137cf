import type { Logger } from '../logging.js';
import type { WebhookEnvelope } from '../protocol/envelope.js';
import type { ReplyJournal } from './reply-journal.js';

/**
 * Processes one webhook event to completion and says how it ended. `journal`, with a shared
 * queue, is where the event's replies are written down as they go out.
 */
export type WebexEnvelopeHandler = (
  envelope: WebhookEnvelope,
  scope: { eventId: string; log: Logger; journal?: ReplyJournal },
) => Promise<{ kind: string }>;
