/**
 * "At most once per interval": for warnings that could repeat every second (a socket that keeps
 * failing to open) but must still be seen.
 */

/** Lets one call through per `intervalMs` and counts the ones held back meanwhile. */
export class Throttle {
  private last = Number.NEGATIVE_INFINITY;
  private held = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * `undefined` while the interval since the last call let through is running (the call is
   * counted); otherwise how many calls were held back since then (and the interval restarts).
   */
  take(): number | undefined {
    const t = this.now();
    if (t - this.last < this.intervalMs) {
      this.held += 1;
      return undefined;
    }
    this.last = t;
    const held = this.held;
    this.held = 0;
    return held;
  }

  /** Starts over: the next call goes through. */
  reset(): void {
    this.last = Number.NEGATIVE_INFINITY;
    this.held = 0;
  }
}
