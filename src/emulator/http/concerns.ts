/**
 * What a REST call concerns: the space and the resource it reads or writes. `api-call` events
 * carry these, so that a viewer (the chat playground's activity panel) can tie the bot's calls
 * to the message or card submission that caused them.
 */

/** The ids an API call is about, when the request or its answer names them. */
export interface CallConcerns {
  /** The space: `roomId` of the answer or request, or the `{id}` of `/v1/rooms/{id}`. */
  roomId?: string;
  /** The `{id}` in the path, or the id of what a POST created. */
  resourceId?: string;
}

function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = (value as Record<string, unknown>)[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * Derives what a call concerns from its route, parameters, query, request body and answer.
 *
 * @example
 * callConcerns({ method: 'GET', route: '/v1/messages/{id}', params: { id: 'M' }, query, requestBody: {}, status: 200, responseBody: message })
 * // → { resourceId: 'M', roomId: message.roomId }
 */
export function callConcerns(call: {
  method: string;
  route: string;
  params: Record<string, string>;
  query: URLSearchParams;
  requestBody: Record<string, unknown>;
  status: number;
  responseBody: unknown;
}): CallConcerns {
  const ok = call.status >= 200 && call.status < 300;
  const resourceId =
    call.params['id'] ?? (call.method === 'POST' && ok ? stringField(call.responseBody, 'id') : undefined);
  const roomId =
    (call.route.startsWith('/v1/rooms/{id}') ? call.params['id'] : undefined) ??
    (ok ? stringField(call.responseBody, 'roomId') : undefined) ??
    stringField(call.requestBody, 'roomId') ??
    (call.query.get('roomId') || undefined);
  return { ...(roomId !== undefined ? { roomId } : {}), ...(resourceId !== undefined ? { resourceId } : {}) };
}
