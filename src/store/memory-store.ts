/**
 * The embedded, in-process {@link KeyValueStore}: bounded in size and time, gone on restart.
 * It backs what only needs to outlive one event (dedupe of redeliveries, refusals) when no
 * shared store is configured.
 */
import { TtlEntries } from './ttl-entries.js';
import type { KeyValueStore, SetOptions } from './types.js';
import { nextValue } from './update-value.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Most entries kept; the oldest written are dropped first (default 100,000). */
  readonly maxEntries?: number;
  /** Clock, for tests (default `Date.now`). */
  readonly now?: () => number;
}

/** An in-memory store with TTLs and a size bound. */
export class MemoryStore implements KeyValueStore {
  private readonly entries: TtlEntries;
  private readonly maxEntries: number;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 100_000;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1)
      throw new RangeError(`maxEntries must be a positive integer (got ${String(options.maxEntries)})`);
    this.entries = new TtlEntries(options.now ?? Date.now);
  }

  /** Entries held (expired ones not yet swept may be counted until touched). */
  get size(): number {
    return this.entries.size;
  }

  private put(key: string, value: unknown, ttlMs: number | undefined): void {
    this.entries.write(key, value, ttlMs);
    if (this.entries.size > this.maxEntries) this.entries.trim(this.maxEntries);
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    return this.entries.read<T>(key);
  }

  async set(key: string, value: unknown, options: SetOptions = {}): Promise<void> {
    this.put(key, value, options.ttlMs);
  }

  async delete(key: string): Promise<boolean> {
    return this.entries.remove(key);
  }

  async deletePrefix(prefix: string): Promise<number> {
    return this.entries.removePrefix(prefix);
  }

  async claim(key: string, value: unknown, options: { readonly ttlMs: number }): Promise<boolean> {
    // Check and write in one synchronous step: no other claim can run in between.
    if (this.entries.live(key) !== undefined) return false;
    this.put(key, value, options.ttlMs);
    return true;
  }

  async update<T = unknown>(
    key: string,
    fn: (current: T | undefined) => T | undefined,
    options: SetOptions = {},
  ): Promise<T | undefined> {
    // Read, compute and write in one synchronous step: no other change of the key in between.
    const next = nextValue(key, fn, this.entries.read<T>(key));
    if (next === undefined) {
      this.entries.remove(key);
      return undefined;
    }
    this.put(key, next, options.ttlMs);
    return this.entries.read<T>(key);
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}
