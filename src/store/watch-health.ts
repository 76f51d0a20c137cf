/**
 * Keeping readiness in step with the state store: a store that can no longer write (its folder
 * became read-only, the volume went away) makes the bot not ready, under the condition `state`,
 * with the store's reason; it is ready again once the store can write.
 */
import type { KeyValueStore } from './types.js';

/** The part of the bot's readiness this needs. */
export interface ReadinessConditions {
  pass(condition: string): void;
  fail(condition: string, reason: string): void;
}

/** A running watch; {@link StoreHealthWatch.stop} ends it. */
export interface StoreHealthWatch {
  /** Checks now (also done every `everyMs`); resolves once readiness has been told. */
  checkNow(): Promise<void>;
  stop(): void;
}

/**
 * Asks `store.check()` now and every `everyMs` (default 10 s; never two at once) and passes or
 * fails the readiness condition `state`. A store without `check` is left alone.
 * @example
 * const watch = watchStoreHealth(stateStore, readiness);
 * // on shutdown:
 * watch.stop();
 */
export function watchStoreHealth(
  store: KeyValueStore,
  readiness: ReadinessConditions,
  everyMs = 10_000,
): StoreHealthWatch {
  let running: Promise<void> | undefined;
  const checkNow = (): Promise<void> => {
    if (!store.check) return Promise.resolve();
    running ??= store
      .check()
      .catch((err: unknown) => `the state store cannot be checked: ${(err as Error).message}`)
      .then((problem) => (problem === undefined ? readiness.pass('state') : readiness.fail('state', problem)))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  void checkNow();
  const timer = store.check ? setInterval(() => void checkNow(), everyMs) : undefined;
  timer?.unref();
  return { checkNow, stop: () => clearInterval(timer) };
}
