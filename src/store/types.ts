/**
 * The key-value store interface every piece of remembered state goes through: event dedupe,
 * skills' form state, records of sent cards. The embedded stores implement it in this process;
 * a shared store (Redis) can implement it for several instances without changing a caller.
 *
 * Values are JSON data: a store keeps a copy, never the caller's object, so a value read back is
 * the same whichever store holds it.
 */

/** Options of {@link KeyValueStore.set}. */
export interface SetOptions {
  /** Forget the value after this many milliseconds (default: keep it until deleted or evicted). */
  readonly ttlMs?: number;
}

/** A key-value store with expiry and an atomic claim. */
export interface KeyValueStore {
  /** The value under `key`, or `undefined` when there is none (or it expired). */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Stores `value` (JSON data) under `key`, replacing what was there. */
  set(key: string, value: unknown, options?: SetOptions): Promise<void>;
  /** Removes `key`; resolves `true` when something was removed. */
  delete(key: string): Promise<boolean>;
  /**
   * Stores `value` under `key` only if nothing live is there, atomically (two concurrent claims
   * of one key: exactly one wins). Resolves `true` for the winner.
   */
  claim(key: string, value: unknown, options: { readonly ttlMs: number }): Promise<boolean>;
  /** Releases what the store holds open (timers, files, connections). */
  close(): Promise<void>;
}
