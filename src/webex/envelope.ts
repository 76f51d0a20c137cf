/**
 * Which webhook events the bot acts on, and the check that a parsed body really is one.
 */

/** Resources and events the bot acts on. */
export const HANDLED_EVENTS: Readonly<Record<string, readonly string[]>> = {
  messages: ['created'],
  attachmentActions: ['created'],
  memberships: ['created', 'updated', 'deleted'],
  rooms: ['created', 'updated'],
};

/** Why an envelope is not processed, or `undefined` when it is a well-formed, handled event. */
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
  const events = HANDLED_EVENTS[b['resource'] as string];
  if (!events) return `resource "${String(b['resource'])}" is not handled`;
  if (!events.includes(b['event'] as string))
    return `event "${String(b['resource'])}/${String(b['event'])}" is not handled`;
  return undefined;
}
