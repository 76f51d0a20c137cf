/**
 * Deadlines for Webex calls. The SDK has no request timeout: a Webex that never answers would
 * hang start-up or, worse, the queue of a space forever.
 */
import { WebexTimeoutError } from '../errors.js';

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
