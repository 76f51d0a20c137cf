/**
 * What a failed Webex call means for trying it again. The SDK rejects with its HTTP error
 * (`statusCode`, `headers`), or, when no answer came, with `statusCode: 0` and the socket
 * error in `body` (`code`, and `connect: true` for a connect-phase timeout).
 */

/** A failed call, by what it tells about retrying. */
export type CallFailure =
  /** 429: Webex did nothing; it says when to come back (`Retry-After`, maybe missing or odd). */
  | { readonly kind: 'rate-limited'; readonly retryAfter: string | undefined }
  /** 401: the token is not (or no longer) accepted. Retrying cannot help. */
  | { readonly kind: 'unauthorized' }
  /** The request provably never reached Webex (refused, no route, name not resolved, connect timeout). */
  | { readonly kind: 'not-sent'; readonly reason: string }
  /** 5xx, a reset or a timeout after sending: Webex may or may not have acted on it. */
  | { readonly kind: 'transient'; readonly reason: string }
  /** Any other answer (400, 403, 404, 409...): the same request will get the same answer. */
  | { readonly kind: 'final'; readonly status: number };

/** Socket errors that happen before a single byte of the request is sent. */
const BEFORE_SENDING = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);

interface SdkErrorShape {
  statusCode?: unknown;
  headers?: Record<string, unknown>;
  body?: { code?: unknown; connect?: unknown };
  code?: unknown;
}

function header(err: SdkErrorShape, name: string): string | undefined {
  const v = err.headers?.[name];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/**
 * Classifies a rejection from an SDK call.
 * @example classifyFailure({ statusCode: 429, headers: { 'retry-after': '2' } }) // → { kind: 'rate-limited', retryAfter: '2' }
 */
export function classifyFailure(err: unknown): CallFailure {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorShape;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status === 429) return { kind: 'rate-limited', retryAfter: header(e, 'retry-after') };
  if (status === 401) return { kind: 'unauthorized' };
  if (status !== undefined && status >= 500) return { kind: 'transient', reason: `HTTP ${status}` };
  if (status !== undefined && status > 0) return { kind: 'final', status };
  // No HTTP answer: a socket error (SDK: statusCode 0, error in body) or our own timeout.
  const code = typeof e.body?.code === 'string' ? e.body.code : typeof e.code === 'string' ? e.code : 'no answer';
  if (BEFORE_SENDING.has(code) || (code === 'ETIMEDOUT' && e.body?.connect === true))
    return { kind: 'not-sent', reason: code };
  return { kind: 'transient', reason: code };
}

/** Methods that can be repeated without changing the outcome (RFC 9110). */
export function isIdempotent(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE' || method === 'OPTIONS';
}

/** What Webex said in a failed call (its body's `message`, else the error's), first line, at most 300 characters. */
export function webexReason(err: unknown): string {
  const e = err as { body?: { message?: unknown }; message?: unknown };
  const m =
    typeof e?.body?.message === 'string' ? e.body.message : typeof e?.message === 'string' ? e.message : 'bad request';
  return m.split('\n')[0]!.slice(0, 300);
}
