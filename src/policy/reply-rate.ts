/**
 * A ceiling on how fast the bot posts into one space, so a runaway loop (two bots answering each
 * other, a skill stuck repeating itself) is cut off instead of flooding the space and spending
 * the bot's Webex rate limit. A token bucket per space: `perMinute` messages, refilled evenly.
 */

/** Options of {@link ReplyRateLimiter}. */
export interface ReplyRateOptions {
  /** Messages per space per minute (also the burst allowed at once). */
  readonly perMinute: number;
  readonly now?: () => number;
  /** Spaces tracked at most; idle ones are forgotten first. */
  readonly maxSpaces?: number;
}

interface Bucket {
  tokens: number;
  at: number;
  /** Whether sends are being refused right now (to warn once per episode). */
  limited: boolean;
}

/** Whether a send to a space is allowed, and when a space starts being cut off. */
export type RateVerdict = 'allowed' | 'limited' | 'limited-first';

/** Per-space token buckets. */
export class ReplyRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly maxSpaces: number;

  constructor(private readonly options: ReplyRateOptions) {
    if (!(options.perMinute > 0)) throw new RangeError(`perMinute must be positive (got ${options.perMinute})`);
    this.now = options.now ?? Date.now;
    this.maxSpaces = options.maxSpaces ?? 10_000;
  }

  /**
   * Takes one message from the space's allowance. `limited-first` is the first refusal of an
   * episode (the moment to log one warning), `limited` the ones after it.
   */
  take(roomId: string): RateVerdict {
    const now = this.now();
    const { perMinute } = this.options;
    let b = this.buckets.get(roomId);
    if (b) {
      b.tokens = Math.min(perMinute, b.tokens + ((now - b.at) * perMinute) / 60_000);
      b.at = now;
      this.buckets.delete(roomId); // re-inserted below: the Map stays ordered by last use
    } else {
      b = { tokens: perMinute, at: now, limited: false };
    }
    this.buckets.set(roomId, b);
    if (this.buckets.size > this.maxSpaces) this.buckets.delete(this.buckets.keys().next().value as string);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      b.limited = false;
      return 'allowed';
    }
    const first = !b.limited;
    b.limited = true;
    return first ? 'limited-first' : 'limited';
  }
}
