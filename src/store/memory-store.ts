/**
 * The embedded, in-process {@link KeyValueStore}: bounded in size and time, gone on restart.
 * It backs what only needs to outlive one event (dedupe of redeliveries) when no shared store
 * is configured.
 */
import type { KeyValueStore, SetOptions } from './types.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Most entries kept; the oldest written are dropped first (default 100,000). */
  readonly maxEntries?: number;
  /** Clock, for tests (default `Date.now`). */
  readonly now?: () => number;
}

interface Entry {
  /** JSON text: a copy, so callers never share objects with the store. */
  readonly json: string;
  /** Epoch ms after which the entry is gone; Infinity for none. */
  readonly expiresAt: number;
}

/** An in-memory store with TTLs and a size bound. */
export class MemoryStore implements KeyValueStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 100_000;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer (got ${String(options.maxEntries)})`);
    this.now = options.now ?? Date.now;
  }

  /** Live entries (expired ones not yet swept may be counted until touched). */
  get size(): number {
    return this.entries.size;
  }

  private live(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  private put(key: string, value: unknown, ttlMs: number | undefined): void {
    if (ttlMs !== undefined && !(ttlMs > 0)) throw new RangeError(`ttlMs must be a positive number of milliseconds (got ${String(ttlMs)})`);
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError(`cannot store ${typeof value} under "${key}": values are JSON data`);
    // Re-inserting moves the key to the end: the Map's order is the order of writes.
    this.entries.delete(key);
    this.entries.set(key, { json, expiresAt: ttlMs === undefined ? Infinity : this.now() + ttlMs });
    if (this.entries.size > this.maxEntries) this.evict();
  }

  /** Drops expired entries, then the oldest written, until within the bound. */
  private evict(): void {
    const now = this.now();
    for (const [k, e] of this.entries) {
      if (e.expiresAt <= now) this.entries.delete(k);
    }
    for (const k of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(k);
    }
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const e = this.live(key);
    return e === undefined ? undefined : (JSON.parse(e.json) as T);
  }

  async set(key: string, value: unknown, options: SetOptions = {}): Promise<void> {
    this.put(key, value, options.ttlMs);
  }

  async delete(key: string): Promise<boolean> {
    return this.live(key) !== undefined && this.entries.delete(key);
  }

  async claim(key: string, value: unknown, options: { readonly ttlMs: number }): Promise<boolean> {
    // Check and write in one synchronous step: no other claim can run in between.
    if (this.live(key) !== undefined) return false;
    this.put(key, value, options.ttlMs);
    return true;
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}
