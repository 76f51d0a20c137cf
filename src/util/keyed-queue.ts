/**
 * A queue that runs tasks one at a time per key (here: per Webex space), and concurrently
 * across keys. Messages in one space are then handled in the order they arrived, and the
 * framework never sees two first messages of an unknown space at once (its late discovery
 * drops all but one of concurrent first messages; see docs/webex-facts.md).
 */
export class KeyedSerialQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private running = 0;
  private idleWaiters: Array<() => void> = [];

  /** Tasks queued or running. */
  get size(): number {
    return this.running;
  }

  /**
   * Runs `task` after every task queued before it under the same `key`.
   * The returned promise settles with the task's own result.
   */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    this.running++;
    const finished = (): void => {
      this.running--;
      if (this.running === 0) for (const w of this.idleWaiters.splice(0)) w();
    };
    const previous = this.tails.get(key) ?? Promise.resolve();
    // Bookkeeping happens before the caller sees the result, so `size` is exact when it does.
    const result = previous.then(() => task()).finally(finished);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves when no task is queued or running. */
  onIdle(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
