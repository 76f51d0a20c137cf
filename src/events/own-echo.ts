/**
 * The echo of one of the bot's own messages: every message the bot posts comes back to it
 * through its firehose webhook (or the event socket) — half of all the events a busy bot gets —
 * and needs nothing. The pipelines answer it at once, without claiming or queueing it.
 */
import type { Logger } from '../logging.js';
import { NO_METRICS, type BotMetrics } from '../metrics/types.js';
import type { WebhookEnvelope } from '../protocol/envelope.js';

/** Whether `envelope` is the echo of a message the bot (`ownPersonId`) posted, from the event's own (signed) data. */
export function isOwnEcho(envelope: WebhookEnvelope, ownPersonId: string | undefined): boolean {
  return ownPersonId !== undefined && envelope.resource === 'messages' && envelope.data.personId === ownPersonId;
}

/**
 * When `envelope` is such an echo, records it (a debug line, the `own_message` outcome) and says
 * so: the pipeline then answers it as accepted and does nothing more.
 */
export function settledAsOwnEcho(
  envelope: WebhookEnvelope,
  ownPersonId: string | undefined,
  trace: {
    readonly log: Logger;
    readonly metrics?: BotMetrics | undefined;
    readonly eventId: string;
    readonly requestId?: string | undefined;
  },
): boolean {
  if (!isOwnEcho(envelope, ownPersonId)) return false;
  trace.log.debug('own message: nothing to do', {
    eventId: trace.eventId,
    requestId: trace.requestId,
    roomId: envelope.data.roomId,
  });
  (trace.metrics ?? NO_METRICS).eventHandled('none', 'own_message', 0);
  return true;
}
