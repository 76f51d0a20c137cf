import type { Logger } from '../logging.js';
import type { WebhookEnvelope } from '../protocol/envelope.js';

/** Processes one webhook event to completion and says how it ended. */
export type WebexEnvelopeHandler = (envelope: WebhookEnvelope, scope: { eventId: string; log: Logger }) => Promise<{ kind: string }>;
