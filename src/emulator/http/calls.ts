/**
 * Call counts per endpoint, keyed `METHOD /route/{template}` (e.g. `GET /v1/messages/{id}`).
 */

/** Counts REST calls per endpoint. */
export class CallCounter {
  private readonly counts = new Map<string, number>();

  count(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** A snapshot, as a plain object. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  reset(): void {
    this.counts.clear();
  }
}
