/**
 * Cancellable waits: everything the emulator waits on is cleared by `stop()`, so that a
 * stopped emulator leaves no timer keeping the process alive.
 */

/** A set of pending waits that can all be cancelled at once. */
export class TimerSet {
  private readonly pending = new Map<NodeJS.Timeout, (elapsed: boolean) => void>();

  /** Resolves `true` after `ms`, or `false` if cancelled first. */
  delay(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve(true);
      }, ms);
      this.pending.set(timer, resolve);
    });
  }

  /** Cancels every pending wait (they resolve `false`). */
  clear(): void {
    for (const [timer, resolve] of this.pending) {
      clearTimeout(timer);
      resolve(false);
    }
    this.pending.clear();
  }
}
