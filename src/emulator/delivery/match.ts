/**
 * Who hears an event, by Webex's rules, for webhooks and for the event socket alike:
 * - the listener must be allowed to see it (a member of the space; the card's author for submissions);
 * - a bot hears group-space messages only when they mention it, except its own messages,
 *   which come back to it as in Webex;
 * and for a webhook besides:
 * - resource and event must match; the firehose (`all`) does not cover `attachmentActions`;
 * - the filter must match.
 */
import type { WebexEvent } from '../events.js';
import type { WebhookRecord } from '../state/store.js';
import type { Person } from '../types.js';
import { filterMatches, parseFilter } from './filter.js';

/** True when `listener` may hear `e` at all (on a webhook or its event socket). */
export function personHears(listener: Person, e: WebexEvent): boolean {
  if (!e.audience.includes(listener.id)) return false;
  if (e.resource === 'messages' && e.roomType === 'group' && listener.type === 'bot' && e.actorId !== listener.id) {
    return (e.mentionedPeople ?? []).includes(listener.id);
  }
  return true;
}

/** True when the webhook (owned by `owner`) receives `e`. */
export function webhookHears(record: WebhookRecord, owner: Person, e: WebexEvent): boolean {
  const w = record.webhook;
  if (w.status !== 'active') return false;
  if (record.ownerId !== owner.id || !personHears(owner, e)) return false;
  if (w.resource === 'all' ? e.resource === 'attachmentActions' : w.resource !== e.resource) return false;
  if (w.event !== 'all' && w.event !== e.event) return false;
  if (w.filter && !filterMatches(parseFilter(w.filter), e, record.ownerId)) return false;
  return true;
}
