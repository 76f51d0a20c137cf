/**
 * Added latency: every REST call waits this long before it is served, as each call to Webex
 * costs a round trip over the internet (tens of ms). 0, the default, serves at once.
 */

/** The largest latency accepted (a typo in ms should not hang every call for hours). */
export const MAX_LATENCY_MS = 60_000;

/** Checks a latency in ms; throws a TypeError naming the problem. */
export function checkLatencyMs(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_LATENCY_MS) {
    throw new TypeError(
      `latencyMs must be a number of ms from 0 to ${MAX_LATENCY_MS} (got ${JSON.stringify(value ?? null)})`,
    );
  }
  return value;
}

/** The current added latency of one emulator, changeable while it runs. */
export class Latency {
  private current: number;

  constructor(ms: unknown = 0) {
    this.current = checkLatencyMs(ms);
  }

  /** The latency now, in ms. */
  get ms(): number {
    return this.current;
  }

  /** Sets it (throws a TypeError when invalid); calls already waiting keep their wait. */
  set(ms: unknown): void {
    this.current = checkLatencyMs(ms);
  }
}
