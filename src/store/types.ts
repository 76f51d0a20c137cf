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

/** A key-value store with expiry, an atomic claim and atomic updates. */
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
  /**
   * Reads the value under `key`, passes it to `fn` (`undefined` when there is none) and stores
   * what `fn` returns, atomically: no other change of `key` lands in between, so concurrent
   * updates never lose one another (a read, then a `set`, would). `fn` returns the new value, or
   * `undefined` to delete the key (or leave it absent). The value is stored as by {@link set}
   * (with `ttlMs`, it expires that long after this update). Resolves with the value stored (a
   * copy), or `undefined`.
   *
   * `fn` must be synchronous and free of side effects: a shared store runs it again when another
   * writer changed the key first. If `fn` throws, nothing is stored and the promise rejects.
   *
   * @example const count = await store.update<number>('hits', (n) => (n ?? 0) + 1);
   */
  update<T = unknown>(
    key: string,
    fn: (current: T | undefined) => T | undefined,
    options?: SetOptions,
  ): Promise<T | undefined>;
  /**
   * Removes every key that starts with `prefix` (a space's state, once the bot left it); resolves
   * with how many were removed. Stores that cannot list keys leave it out.
   * @example await store.deletePrefix?.('skill:poll:space:ROOM-1:');
   */
  deletePrefix?(prefix: string): Promise<number>;
  /**
   * Why the store cannot take writes now (e.g. its folder became read-only), or `undefined` when
   * it can; for readiness (see `watchStoreHealth`). Stores without such a check leave it out.
   */
  check?(): Promise<string | undefined>;
  /** Releases what the store holds open (timers, files, connections). */
  close(): Promise<void>;
}
