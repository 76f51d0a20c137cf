/**
 * Reading stop signals. `npm start` runs node under npm, and a terminal's Ctrl+C or systemd's
 * default `KillMode=control-group` signal the whole process group: npm then forwards the signal
 * it got to node, so node sees each stop request two or more times within milliseconds. Those
 * repeats are the same request. Only a signal that comes later, deliberately, forces the exit.
 */
import type { Logger } from '../logging.js';

/** Signals closer to the first than this are repeats of it. */
export const REPEAT_WINDOW_MS = 3000;

/** Options of {@link onStopSignals}. */
export interface StopSignalOptions {
  readonly log: Logger;
  /** Stops gracefully; resolves `true` when nothing in flight was abandoned. */
  readonly stop: (signal: NodeJS.Signals) => Promise<boolean>;
  readonly signals?: readonly NodeJS.Signals[];
  /** Exits the process (replaceable in tests). */
  readonly exit?: (code: number) => void;
  readonly now?: () => number;
}

/**
 * Handles SIGTERM and SIGINT: the first one stops gracefully and exits 0 (1 if events in flight
 * had to be abandoned); repeats within {@link REPEAT_WINDOW_MS} are ignored; a later one exits at once (1).
 * @returns a function removing the handlers
 */
export function onStopSignals(options: StopSignalOptions): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const now = options.now ?? Date.now;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let firstAt: number | undefined;
  const handler = (signal: NodeJS.Signals): void => {
    if (firstAt === undefined) {
      firstAt = now();
      options.stop(signal).then(
        (drained) => exit(drained ? 0 : 1),
        (err: unknown) => {
          options.log.error('stopping failed', { err });
          exit(1);
        },
      );
      return;
    }
    if (now() - firstAt < REPEAT_WINDOW_MS) {
      options.log.debug('repeat of the stop signal ignored (npm or the process group passed it on)', { signal });
      return;
    }
    options.log.warn('stop signal again while stopping: exiting now, without waiting for the events in flight', {
      signal,
    });
    exit(1);
  };
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}
