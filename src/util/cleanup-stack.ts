/**
 * What was started, to be stopped in reverse order, once: each start pushes its stop; a failure
 * part-way through start-up, or the final stop, unwinds what is there. A stop that throws is
 * reported and the others still run.
 *
 * @example
 * const cleanup = new CleanupStack((what, err) => log.warn(`could not stop ${what}`, { err }));
 * const store = await openStore(); cleanup.push('the store', () => store.close());
 * const server = await listen(...); cleanup.push('the HTTP server', () => close(server));
 * await cleanup.unwind(); // the server, then the store
 */
export class CleanupStack {
  private readonly stops: Array<{ readonly what: string; readonly stop: () => unknown }> = [];

  constructor(private readonly onError: (what: string, err: unknown) => void = () => undefined) {}

  /** Adds the stop of something just started. */
  push(what: string, stop: () => unknown): void {
    this.stops.push({ what, stop });
  }

  /** Stops everything pushed, newest first; each only once, even when called again. */
  async unwind(): Promise<void> {
    for (let entry = this.stops.pop(); entry; entry = this.stops.pop()) {
      try {
        await entry.stop();
      } catch (err) {
        this.onError(entry.what, err);
      }
    }
  }

  /** Runs `start`; if it throws, unwinds what was pushed so far and rethrows. */
  async orUnwind<T>(start: () => Promise<T>): Promise<T> {
    try {
      return await start();
    } catch (err) {
      await this.unwind();
      throw err;
    }
  }
}
