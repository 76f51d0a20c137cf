/**
 * Riding out a Redis outage in the background work of the shared queue: a step that must
 * happen (mark an event done, record a reply) is tried again until Redis answers, or until the
 * caller gives up. A webhook is never made to wait this way: it is answered 503 at once.
 */

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Options of {@link untilRedisAnswers}. */
export interface RetryOptions {
  /** Give up (rethrow the last error) after this long (default: never). */
  readonly maxMs?: number;
  /** Give up as soon as this says so (e.g. the instance is stopping). */
  readonly stop?: () => boolean;
}

/** Runs `step` until it resolves, waiting 100 ms, then longer up to 1 s, between failures. */
export async function untilRedisAnswers<T>(step: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const deadline = options.maxMs === undefined ? Infinity : Date.now() + options.maxMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if (Date.now() >= deadline || options.stop?.()) throw err;
      await pause(Math.min(100 * 2 ** attempt, 1000));
    }
  }
}
