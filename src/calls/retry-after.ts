/**
 * How long to wait after a 429. Webex sends `Retry-After` in seconds; the header may also be
 * missing, zero, an HTTP date, absurdly large or garbage, and each case gets a sane wait:
 * never shorter than a floor (no tight loop), never longer than a cap, and with a little jitter
 * on top so that many waiting calls do not all come back in the same millisecond.
 */

/** Bounds for waits after a 429. */
export interface RateLimitWaits {
  /** Wait when the header is missing or unreadable. */
  readonly defaultMs: number;
  /** Shortest wait, even for `Retry-After: 0`. */
  readonly minMs: number;
  /** Longest wait; a longer `Retry-After` is capped to it. */
  readonly maxMs: number;
  /** Up to this fraction is added at random (0.2 = up to 20 % longer). */
  readonly jitter: number;
}

/** The defaults: 1 s when unknown, at least 250 ms, at most 30 s, up to 20 % jitter. */
export const DEFAULT_RATE_LIMIT_WAITS: RateLimitWaits = { defaultMs: 1000, minMs: 250, maxMs: 30_000, jitter: 0.2 };

/**
 * The delay `Retry-After` asks for, in ms, or `undefined` when it says nothing usable.
 * @example parseRetryAfter('2') // → 2000
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  // RFC 9110 also allows an HTTP date.
  if (/[a-z]/i.test(v)) {
    const at = Date.parse(v);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  return undefined;
}

/**
 * The wait before retrying a call Webex answered 429, bounded by `waits`.
 * @example rateLimitWait('3600', DEFAULT_RATE_LIMIT_WAITS, () => 0) // → 30000 (capped)
 */
export function rateLimitWait(
  retryAfter: string | undefined,
  waits: RateLimitWaits = DEFAULT_RATE_LIMIT_WAITS,
  random: () => number = Math.random,
  now = Date.now(),
): number {
  const asked = parseRetryAfter(retryAfter, now) ?? waits.defaultMs;
  const bounded = Math.min(waits.maxMs, Math.max(waits.minMs, asked));
  return Math.round(bounded * (1 + waits.jitter * random()));
}

/**
 * Exponential backoff with "full jitter" (a random wait between half and all of the exponential
 * step), for retries after 5xx and network errors.
 * @example backoffWait(2, { initialMs: 200, maxMs: 4000 }, () => 1) // → 800
 */
export function backoffWait(
  retry: number,
  bounds: { readonly initialMs: number; readonly maxMs: number },
  random: () => number = Math.random,
): number {
  const step = Math.min(bounds.maxMs, bounds.initialMs * 2 ** Math.max(0, retry - 1));
  return Math.round(step / 2 + (step / 2) * random());
}
