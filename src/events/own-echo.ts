/**
 * The echo of one of the bot's own messages: every message the bot posts comes back to it
 * through its firehose webhook (or the event socket) — half of all the events a busy bot gets —
 * and needs nothing. The pipelines answer it at once, without claiming or queueing it.
 */
import type { WebhookEnvelope } from '../protocol/envelope.js';

/** Whether `envelope` is the echo of a message the bot (`ownPersonId`) posted, from the event's own (signed) data. */
export function isOwnEcho(envelope: WebhookEnvelope, ownPersonId: string | undefined): boolean {
  return ownPersonId !== undefined && envelope.resource === 'messages' && envelope.data.personId === ownPersonId;
}
