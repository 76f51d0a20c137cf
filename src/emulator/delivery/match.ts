/**
 * Which webhooks hear an event, by Webex's rules:
 * - the owner must be allowed to see it (a member of the space; the card's author for submissions);
 * - resource and event must match; the firehose (`all`) does not cover `attachmentActions`;
 * - the filter must match;
 * - a bot hears group-space messages only when they mention it, except its own messages,
 *   which come back to it as in Webex.
 */
import type { WebexEvent } from '../events.js';
import type { WebhookRecord } from '../state/store.js';
import type { Person } from '../types.js';
import { filterMatches, parseFilter } from './filter.js';

/** True when the webhook (owned by `owner`) receives `e`. */
export function webhookHears(record: WebhookRecord, owner: Person, e: WebexEvent): boolean {
  const w = record.webhook;
  if (w.status !== 'active') return false;
  if (!e.audience.includes(record.ownerId)) return false;
  if (w.resource === 'all' ? e.resource === 'attachmentActions' : w.resource !== e.resource) return false;
  if (w.event !== 'all' && w.event !== e.event) return false;
  if (w.filter && !filterMatches(parseFilter(w.filter), e, record.ownerId)) return false;
  if (e.resource === 'messages' && e.roomType === 'group' && owner.type === 'bot' && e.actorId !== owner.id) {
    return (e.mentionedPeople ?? []).includes(owner.id);
  }
  return true;
}
