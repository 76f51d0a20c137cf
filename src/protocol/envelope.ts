/**
 * The webhook envelope: the JSON body Webex POSTs for each event. `data` holds ids only; the
 * top-level `id` is the webhook's (the same for every event of that webhook), so an event is
 * identified by `resource + event + data.id`. Events from the event socket are turned into the
 * same envelope (`socket-activity.ts`), so everything after the receivers sees one shape.
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

/** Resources and events the bot acts on (a `Map`: a resource named `__proto__` or `toString` is just unknown). */
export const HANDLED_EVENTS: ReadonlyMap<string, readonly string[]> = new Map([
  ['messages', ['created']],
  ['attachmentActions', ['created']],
  ['memberships', ['created', 'updated', 'deleted']],
  ['rooms', ['created', 'updated']],
]);

/** Whether the bot acts on events of `resource` (a string from the outside: any value is safe). */
export function isHandledResource(resource: unknown): resource is string {
  return typeof resource === 'string' && HANDLED_EVENTS.has(resource);
}

/**
 * Why a parsed body is not an envelope the bot processes, or `undefined` when it is a
 * well-formed, handled event.
 * @example envelopeProblem({ id: 'w', name: 'n', resource: 'rooms', event: 'deleted', data: { id: 'r' } })
 * // → 'event "rooms/deleted" is not handled'
 */
export function envelopeProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body is not a JSON object';
  const b = body as Record<string, unknown>;
  for (const field of ['id', 'name', 'resource', 'event'] as const) {
    if (typeof b[field] !== 'string') return `"${field}" is missing or not a string`;
  }
  const data = b['data'];
  if (typeof data !== 'object' || data === null || typeof (data as Record<string, unknown>)['id'] !== 'string') {
    return '"data.id" is missing';
  }
  const resource = b['resource'] as string;
  const events = HANDLED_EVENTS.get(resource);
  if (!events) return `resource "${resource}" is not handled`;
  if (!events.includes(b['event'] as string)) return `event "${resource}/${String(b['event'])}" is not handled`;
  return undefined;
}
