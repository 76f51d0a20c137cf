/**
 * Lua scripts on Redis, shared by the Redis store (atomic updates) and the several-instances
 * queue (`src/scale/`): each is run by its SHA1, and sent in full only when Redis does not have
 * it yet.
 */
import { createHash } from 'node:crypto';
import type { RedisClientType } from '@redis/client';

/** A Lua script run by its SHA1 (`EVALSHA`), sent in full only when Redis does not have it yet. */
export class RedisScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** Runs the script with `keys` and `args`; resolves with Redis's reply. */
  async run<T = unknown>(
    client: RedisClientType,
    keys: readonly string[],
    args: ReadonlyArray<string | number> = [],
  ): Promise<T> {
    const tail = [String(keys.length), ...keys, ...args.map(String)];
    try {
      return (await client.sendCommand(['EVALSHA', this.sha, ...tail])) as T;
    } catch (err) {
      if (!String((err as Error)?.message).startsWith('NOSCRIPT')) throw err;
      return (await client.sendCommand(['EVAL', this.source, ...tail])) as T;
    }
  }
}
