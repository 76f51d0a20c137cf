/**
 * The assistant's limits: requests per person per minute (kept in the state store, so several
 * instances on one Redis share the count), and what bounds one request (a timeout, a token cap,
 * rounds of tool calls).
 *
 * @example
 * const rate = createRateLimiter(store, 10);
 * const verdict = await rate.take('person-1');
 * if (!verdict.allowed) await reply(`Give me ${Math.ceil(verdict.retryAfterMs / 1000)} s.`);
 */
import { randomUUID } from 'node:crypto';
import { prefixedStore } from '../store/prefixed.js';
import type { KeyValueStore } from '../store/types.js';

/** What bounds one turn of the assistant. */
export interface TurnLimits {
  /** Longest one request to the model may take, streaming included. */
  readonly timeoutMs: number;
  /** Most tokens the model may write per request. */
  readonly maxTokens: number;
  /** Requests to the model in one turn: the first, and one after each round of tool calls [3]. */
  readonly maxRounds?: number;
}

/** Rounds of one turn unless told otherwise: ask, run a command, say what came of it. */
export const DEFAULT_MAX_ROUNDS = 3;

/** Whether a request may go ahead. */
export type RateVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

/** A per-person rate limit. */
export interface RateLimiter {
  /** Counts a request of `personId` if it is within the limit. */
  take(personId: string): Promise<RateVerdict>;
}

const WINDOW_MS = 60_000;

interface Window {
  /** When the requests of the last minute were made. */
  readonly times: number[];
  /** The request that last got in (to tell whether this one did). */
  readonly last: string;
}

/**
 * At most `perMinute` requests per person in any 60 seconds, counted in `store` (under
 * `assistant:rate:`). A store that fails lets the request through: the limit protects the model's
 * bill, not the bot's availability.
 */
export function createRateLimiter(store: KeyValueStore, perMinute: number, now: () => number = Date.now): RateLimiter {
  const windows = prefixedStore(store, 'assistant:rate:');
  return {
    async take(personId) {
      const at = now();
      const id = randomUUID();
      let window: Window | undefined;
      try {
        window = await windows.update<Window>(
          personId,
          (current) => {
            const times = (current?.times ?? []).filter((t) => t > at - WINDOW_MS && t <= at);
            return times.length < perMinute
              ? { times: [...times, at], last: id }
              : { times, last: current?.last ?? '' };
          },
          { ttlMs: WINDOW_MS },
        );
      } catch {
        return { allowed: true };
      }
      if (window?.last === id) return { allowed: true };
      const oldest = Math.min(...(window?.times ?? [at]));
      return { allowed: false, retryAfterMs: Math.max(1000, oldest + WINDOW_MS - at) };
    },
  };
}
