/**
 * The body of `POST /notify`, in Webex's own field names (as for `POST /messages`): where — one of
 * `roomId`, `toPersonEmail`, `toPersonId` (and `parentId` to answer in a thread of a space) — and
 * what — `text` and/or `markdown`, or `card` (a template id of `cards/`) with its `data`, the text
 * or markdown then being the fallback for clients without cards. Anything else is refused with
 * the reason, so that a typo (`roomID`) is not silently dropped.
 */
import { MAX_MESSAGE_BYTES } from '../protocol/limits.js';
import { isRecord } from '../util/is-record.js';
import { EMAIL_ADDRESS } from '../util/email.js';

/** A checked notify request. */
export interface NotifyRequest {
  readonly roomId?: string;
  readonly toPersonEmail?: string;
  readonly toPersonId?: string;
  readonly parentId?: string;
  readonly text?: string;
  readonly markdown?: string;
  readonly card?: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

const FIELDS = ['roomId', 'toPersonEmail', 'toPersonId', 'parentId', 'text', 'markdown', 'card', 'data'] as const;
const WHERE = ['roomId', 'toPersonEmail', 'toPersonId'] as const;

/**
 * `body` checked as a notify request: the request, or the problems with it (each a sentence).
 * @example
 * readNotifyRequest({ toPersonEmail: 'alice@example.com', markdown: 'Build **green**' }) // { request: {...} }
 * readNotifyRequest({ text: 'hi' }) // { problems: ['say where: one of roomId, toPersonEmail, toPersonId'] }
 */
export function readNotifyRequest(body: unknown): { request: NotifyRequest } | { problems: string[] } {
  if (!isRecord(body)) return { problems: ['the body must be a JSON object, e.g. {"roomId": "...", "text": "..."}'] };
  const problems: string[] = [];
  const unknown = Object.keys(body).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0)
    problems.push(
      `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')} (known: ${FIELDS.join(', ')})`,
    );
  for (const field of FIELDS.filter((f) => f !== 'data' && body[f] !== undefined))
    if (typeof body[field] !== 'string' || (body[field] as string).trim() === '')
      problems.push(`${field} must be a non-empty string`);
  const where = WHERE.filter((f) => body[f] !== undefined);
  if (where.length !== 1)
    problems.push(
      where.length === 0
        ? 'say where: one of roomId, toPersonEmail, toPersonId'
        : `give only one of roomId, toPersonEmail, toPersonId (got ${where.join(', ')})`,
    );
  if (typeof body['toPersonEmail'] === 'string' && !EMAIL_ADDRESS.test(body['toPersonEmail'].trim()))
    problems.push(`toPersonEmail "${body['toPersonEmail']}" is not an e-mail address`);
  if (body['parentId'] !== undefined && body['roomId'] === undefined) problems.push('parentId needs a roomId');
  if (body['text'] === undefined && body['markdown'] === undefined && body['card'] === undefined)
    problems.push('say what: text, markdown, or card (a template id) with data');
  if (body['data'] !== undefined && !isRecord(body['data'])) problems.push('data must be a JSON object');
  if (body['data'] !== undefined && body['card'] === undefined) problems.push('data goes with card');
  for (const field of ['text', 'markdown'] as const) {
    const value = body[field];
    if (typeof value === 'string' && Buffer.byteLength(value) > MAX_MESSAGE_BYTES)
      problems.push(`${field} is ${Buffer.byteLength(value)} bytes: Webex takes at most ${MAX_MESSAGE_BYTES}`);
  }
  if (problems.length > 0) return { problems };
  const request = Object.fromEntries(
    FIELDS.filter((f) => body[f] !== undefined).map((f) => [
      f,
      typeof body[f] === 'string' ? (body[f] as string).trim() : body[f],
    ]),
  ) as NotifyRequest;
  return { request };
}
