/**
 * The logger of the event being handled, wherever the code is: an event's handling runs inside
 * {@link withEventLog}, so that code shared by all events (the Webex call governor, console
 * output of the framework and the SDK) can tag its lines with that event's id without being
 * handed a logger.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from './logging.js';

const current = new AsyncLocalStorage<Logger>();

/** Runs `fn` with `log` as the current event's logger (for everything `fn` starts, too). */
export function withEventLog<T>(log: Logger, fn: () => T): T {
  return current.run(log, fn);
}

/** The current event's logger, or `fallback` outside of any event. */
export function eventLogOr(fallback: Logger): Logger {
  return current.getStore() ?? fallback;
}
