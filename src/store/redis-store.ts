/**
 * The shared {@link KeyValueStore}: the same interface as the embedded stores, on Redis, so that
 * several bot instances see one set of event claims, refusals and skills' state. Callers do not
 * change: skills get the same `state`, the deduper the same atomic `claim`.
 *
 * - Values are JSON text; a read returns a fresh copy, as with the embedded stores.
 * - `claim` is `SET key value NX PX ttl`: atomic in Redis, so of two instances claiming one event
 *   at the same moment exactly one wins.
 * - Every key starts with `prefix` (the bot's namespace and the store's name), so two bots, or
 *   the event and state stores of one bot, never read each other's keys.
 * - Nothing waits for a lost connection: a command fails at once (see `src/scale/redis-client.ts`),
 *   and the caller's error handling applies (a webhook answered 503, an apology to the user).
 */
import type { RedisClientType } from '@redis/client';
import type { KeyValueStore, SetOptions } from './types.js';

function jsonOf(key: string, value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`cannot store ${typeof value} under "${key}": values are JSON data`);
  return json;
}

function checkTtl(ttlMs: number | undefined): void {
  if (ttlMs !== undefined && !(ttlMs > 0))
    throw new RangeError(`ttlMs must be a positive number of milliseconds (got ${String(ttlMs)})`);
}

/** A {@link KeyValueStore} on a Redis connection it does not own. */
export class RedisStore implements KeyValueStore {
  /**
   * @param client a connected client (its owner closes it; {@link close} leaves it open)
   * @param prefix prepended to every key, e.g. `wsb:{1a2b…}:state:`
   */
  constructor(
    private readonly client: RedisClientType,
    readonly prefix: string,
  ) {}

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const json = await this.client.get(this.prefix + key);
    return json === null || json === undefined ? undefined : (JSON.parse(String(json)) as T);
  }

  async set(key: string, value: unknown, options: SetOptions = {}): Promise<void> {
    checkTtl(options.ttlMs);
    const json = jsonOf(key, value);
    if (options.ttlMs === undefined) await this.client.set(this.prefix + key, json);
    else
      await this.client.set(this.prefix + key, json, { expiration: { type: 'PX', value: Math.ceil(options.ttlMs) } });
  }

  async delete(key: string): Promise<boolean> {
    return (await this.client.del(this.prefix + key)) > 0;
  }

  async claim(key: string, value: unknown, options: { readonly ttlMs: number }): Promise<boolean> {
    checkTtl(options.ttlMs);
    const reply = await this.client.set(this.prefix + key, jsonOf(key, value), {
      condition: 'NX',
      expiration: { type: 'PX', value: Math.ceil(options.ttlMs) },
    });
    return reply === 'OK';
  }

  /** Leaves the connection open: it belongs to whoever made it. */
  async close(): Promise<void> {
    return Promise.resolve();
  }
}
