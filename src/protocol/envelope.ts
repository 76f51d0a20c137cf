/**
 * The webhook envelope: the JSON body Webex POSTs for each event. `data` holds ids only; the
 * top-level `id` is the webhook's (the same for every event of that webhook), so an event is
 * identified by `resource + event + data.id`.
 */

/** The JSON body of a webhook POST. */
export interface WebhookEnvelope {
  /** The webhook's id (the same for every event of that webhook). */
  readonly id: string;
  readonly name: string;
  readonly resource: string;
  readonly event: string;
  readonly actorId?: string;
  readonly data: {
    readonly id: string;
    readonly roomId?: string;
    readonly roomType?: string;
    readonly personId?: string;
    readonly personEmail?: string;
    readonly messageId?: string;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/**
 * The identity of the event an envelope carries: the same for every delivery of it (a
 * redelivery, or the same event reaching two instances).
 *
 * A membership's id is made of the person and the space, so it is the same each time a person
 * joins (or leaves) that space again: for memberships, the membership's `created` time tells
 * one joining from the next.
 * @example eventKey({ resource: 'messages', event: 'created', data: { id: 'Y2lz…' } }) // → 'messages:created:Y2lz…'
 */
export function eventKey(envelope: Pick<WebhookEnvelope, 'resource' | 'event' | 'data'>): string {
  const key = `${envelope.resource}:${envelope.event}:${envelope.data.id}`;
  const created = envelope.data['created'];
  return envelope.resource === 'memberships' && typeof created === 'string' ? `${key}:${created}` : key;
}
