/**
 * Deadlines for Webex calls. The SDK has no request timeout: a Webex that never answers would
 * hang start-up or, worse, the queue of a space forever.
 */
import { BotError } from '../errors.js';

/** A Webex call (or a chain of them) did not finish in time. */
export class WebexTimeoutError extends BotError {
  constructor(what: string, ms: number) {
    super('WEBEX_TIMEOUT', `${what} did not finish within ${ms / 1000} s`);
  }
}

/**
 * Settles like `promise`, or rejects with `makeError()` after `ms` (default: a
 * {@link WebexTimeoutError} naming `what`). The timer never keeps the process alive.
 */
export function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
  makeError: () => Error = () => new WebexTimeoutError(what, ms),
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(makeError()), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
