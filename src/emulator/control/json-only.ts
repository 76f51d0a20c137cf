/**
 * The control API takes JSON bodies only. A web page can make its visitor's browser send a
 * "simple" request to another site without asking first — a form post, or a `fetch` with a
 * `text/plain` body or none — and a POST to the control API acts (`/sockets/drop` cuts the bot's
 * event sockets, `/rooms/:id/messages` speaks as anyone). A browser sends
 * `Content-Type: application/json` to another site only after a CORS preflight, which the
 * emulator never grants, so requiring it keeps other sites out.
 *
 * - POST: always `application/json` (even without a body);
 * - PUT, PATCH, DELETE: `application/json` when they carry a body or a content type (without
 *   either they are fine: a browser preflights these methods anyway);
 * - anything else gets 415 with the reason.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** True for `application/json`, with or without parameters (`; charset=utf-8`). */
function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Why a request is refused, or undefined when its body (or lack of one) is acceptable. */
export function nonJsonReason(req: IncomingMessage): string | undefined {
  const method = (req.method ?? 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return undefined;
  const type = req.headers['content-type'];
  if (isJson(type)) return undefined;
  if (method !== 'POST' && !hasBody(req) && type === undefined) return undefined;
  const given = type === undefined ? 'no Content-Type' : `Content-Type ${JSON.stringify(type)}`;
  return (
    `The control API takes JSON only: send ${method} with Content-Type: application/json` +
    `${method === 'POST' ? ' (also without a body)' : ''}; this request has ${given}. ` +
    'Forms and text/plain posts are refused so that no web page can drive the emulator.'
  );
}

/**
 * Express middleware: 415 `{ error }` for a body that is not JSON (see the module comment).
 *
 * @example
 * router.use(jsonBodiesOnly);
 */
export function jsonBodiesOnly(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const reason = nonJsonReason(req);
  if (reason === undefined) {
    next();
    return;
  }
  req.resume();
  const body = JSON.stringify({ error: reason });
  res.writeHead(415, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
