/**
 * The shared {@link KeyValueStore}: the same interface as the embedded stores, on Redis, so that
 * several bot instances see one set of event claims, refusals and skills' state. Callers do not
 * change: skills get the same `state`, the deduper the same atomic `claim`.
 *
 * - Values are JSON text; a read returns a fresh copy, as with the embedded stores.
 * - `claim` is `SET key value NX PX ttl`: atomic in Redis, so of two instances claiming one event
 *   at the same moment exactly one wins.
 * - `update` reads the value, computes the new one here, and writes it with a compare-and-set
 *   script (it writes only if the key still holds what was read); when another writer came
 *   first it computes again from what that writer stored. No connection of its own is needed
 *   (`WATCH` would need one per update).
 * - Every key starts with `prefix` (the bot's namespace and the store's name), so two bots, or
 *   the event and state stores of one bot, never read each other's keys.
 * - Nothing waits for a lost connection: a command fails at once (see `src/scale/redis-client.ts`),
 *   and the caller's error handling applies (a webhook answered 503, an apology to the user).
 */
import type { RedisClientType } from '@redis/client';
import { BotError } from '../errors.js';
import { RedisScript } from './redis-script.js';
import type { KeyValueStore, SetOptions } from './types.js';
import { nextValue } from './update-value.js';

/**
 * Compare-and-set: writes (ARGV[3] = `set`: ARGV[4] with PX ARGV[5] ms when given) or deletes
 * (`del`) KEYS[1] only if it still holds what the caller read (ARGV[1] = `1` and the text
 * ARGV[2]; `0`: nothing). Replies 1 when done, else what the key holds now (0 for nothing).
 */
const COMPARE_AND_SET = new RedisScript(`
local current = redis.call('GET', KEYS[1])
if (ARGV[1] == '1' and current ~= ARGV[2]) or (ARGV[1] == '0' and current) then
  if current then return current end
  return 0
end
if ARGV[3] == 'del' then
  redis.call('DEL', KEYS[1])
elseif ARGV[5] == '' then
  redis.call('SET', KEYS[1], ARGV[4])
else
  redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5])
end
return 1
`);

/** Tries of one update before giving up (each lost to a writer that came first). */
const MAX_UPDATE_TRIES = 200;

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

  /** Removes the keys under `prefix`, found with `SCAN` (a cursor: Redis is never held up by one big command). */
  async deletePrefix(prefix: string): Promise<number> {
    const pattern = `${(this.prefix + prefix).replace(/[*?[\]\\]/g, '\\$&')}*`;
    let removed = 0;
    for await (const batch of this.client.scanIterator({ MATCH: pattern, COUNT: 200 })) {
      const keys = (Array.isArray(batch) ? batch : [batch]).map(String);
      if (keys.length > 0) removed += await this.client.del(keys);
    }
    return removed;
  }

  async claim(key: string, value: unknown, options: { readonly ttlMs: number }): Promise<boolean> {
    checkTtl(options.ttlMs);
    const reply = await this.client.set(this.prefix + key, jsonOf(key, value), {
      condition: 'NX',
      expiration: { type: 'PX', value: Math.ceil(options.ttlMs) },
    });
    return reply === 'OK';
  }

  async update<T = unknown>(
    key: string,
    fn: (current: T | undefined) => T | undefined,
    options: SetOptions = {},
  ): Promise<T | undefined> {
    checkTtl(options.ttlMs);
    const fullKey = this.prefix + key;
    const ttl = options.ttlMs === undefined ? '' : String(Math.ceil(options.ttlMs));
    let read = await this.client.get(fullKey);
    for (let tries = 1; ; tries++) {
      const current = read === null || read === undefined ? undefined : String(read);
      const next = nextValue(key, fn, current === undefined ? undefined : (JSON.parse(current) as T));
      if (next === undefined && current === undefined) return undefined;
      const json = next === undefined ? '' : jsonOf(key, next);
      const reply = await COMPARE_AND_SET.run(
        this.client,
        [fullKey],
        [current === undefined ? '0' : '1', current ?? '', next === undefined ? 'del' : 'set', json, ttl],
      );
      if (reply === 1) return next === undefined ? undefined : (JSON.parse(json) as T);
      if (tries >= MAX_UPDATE_TRIES)
        throw new BotError(
          'STATE_FAILED',
          `update of "${key}" gave up after ${tries} tries: other writers changed it each time`,
        );
      read = reply === 0 ? null : String(reply);
      // Many writers on one key: a short random pause spreads their next tries.
      if (tries > 3) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(tries, 20)));
    }
  }

  /** Leaves the connection open: it belongs to whoever made it. */
  async close(): Promise<void> {
    return Promise.resolve();
  }
}
