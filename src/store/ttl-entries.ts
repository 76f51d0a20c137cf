/**
 * Entries with expiry, kept as JSON text: what the embedded stores (memory, file) have in common.
 * Keeping JSON rather than the caller's object means a value read back is a copy, as it would be
 * from any other store.
 */

/** One stored value. */
export interface TtlEntry {
  /** JSON text of the value. */
  readonly json: string;
  /** Epoch ms after which the entry is gone; Infinity for none. */
  readonly expiresAt: number;
}

/** A map of entries that expire, in the order they were written. */
export class TtlEntries {
  constructor(
    private readonly now: () => number = Date.now,
    private readonly entries: Map<string, TtlEntry> = new Map(),
  ) {}

  /** Entries held (expired ones not yet swept may be counted until touched). */
  get size(): number {
    return this.entries.size;
  }

  /** The live entry under `key`; an expired one is dropped. */
  live(key: string): TtlEntry | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** The value under `key`, parsed, or undefined. */
  read<T>(key: string): T | undefined {
    const e = this.live(key);
    return e === undefined ? undefined : (JSON.parse(e.json) as T);
  }

  /**
   * Stores `value` under `key`, moving the key to the end of the write order.
   * @throws {RangeError} for a TTL that is not positive; {TypeError} for a value that is not JSON data.
   */
  write(key: string, value: unknown, ttlMs: number | undefined): void {
    if (ttlMs !== undefined && !(ttlMs > 0))
      throw new RangeError(`ttlMs must be a positive number of milliseconds (got ${String(ttlMs)})`);
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError(`cannot store ${typeof value} under "${key}": values are JSON data`);
    this.entries.delete(key);
    this.entries.set(key, { json, expiresAt: ttlMs === undefined ? Infinity : this.now() + ttlMs });
  }

  /** Removes `key`; true when a live entry was there. */
  remove(key: string): boolean {
    return this.live(key) !== undefined && this.entries.delete(key);
  }

  /** Removes every entry whose key starts with `prefix`; how many live ones there were. */
  removePrefix(prefix: string): number {
    const now = this.now();
    let live = 0;
    for (const [k, e] of this.entries) {
      if (!k.startsWith(prefix)) continue;
      if (e.expiresAt > now) live++;
      this.entries.delete(k);
    }
    return live;
  }

  /** Drops expired entries, then the oldest written, until at most `max` are left. */
  trim(max: number): void {
    const now = this.now();
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
    this.dropOldest(max);
  }

  /**
   * Drops the oldest written entries, expired or not, until at most `max` are left: O(1) per
   * entry dropped, for caches whose entries all live as long (written order is expiry order).
   */
  dropOldest(max: number): void {
    for (const k of this.entries.keys()) {
      if (this.entries.size <= max) break;
      this.entries.delete(k);
    }
  }

  /** The live entries, oldest written first. */
  *liveEntries(): IterableIterator<[string, TtlEntry]> {
    const now = this.now();
    for (const [k, e] of this.entries) if (e.expiresAt > now) yield [k, e];
  }

  clear(): void {
    this.entries.clear();
  }
}
