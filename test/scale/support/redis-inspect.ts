/**
 * Looking into the test's own Redis: the bot's queue keys, the reconciler lock, and waiting
 * until the instances have nothing left to do.
 */
import { createClient, type RedisClientType } from '@redis/client';
import type { Emulator } from '../../../src/emulator/index.js';
import { botNamespace } from '../../../src/scale/namespace.js';
import { QueueKeys } from '../../../src/scale/queue-scripts.js';
import type { BotInstance } from './bot-cluster.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A client on the test's Redis, and the bot's keys there. */
export interface RedisView {
  readonly client: RedisClientType;
  readonly keys: QueueKeys;
  /** The instance holding the reconciler lock (by the pid in its instance id), if any. */
  reconcilerHolder(bots: readonly BotInstance[]): Promise<BotInstance | undefined>;
  /** Waits until no space has pending events and no delivery of the emulator is pending (rejects after `timeoutMs`). */
  settled(emulator: Emulator, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Opens a view of the bot's keys in the Redis at `url`. */
export async function inspectRedis(url: string, emulator: Emulator): Promise<RedisView> {
  const client = createClient({ url }) as RedisClientType;
  client.on('error', () => undefined);
  await client.connect();
  const keys = new QueueKeys(botNamespace(emulator.bot.id));
  return {
    client,
    keys,
    async reconcilerHolder(bots) {
      const id = await client.get(keys.reconciler);
      return bots.find((b) => id !== null && String(id).split(':')[1] === String(b.process.child.pid));
    },
    async settled(em, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let quiet = 0;
      while (quiet < 3) {
        const busy = (await client.sCard(keys.spaces)) > 0 || em.deliveries().some((d) => d.state === 'pending');
        quiet = busy ? 0 : quiet + 1;
        if (Date.now() > deadline)
          throw new Error(
            `not settled within ${timeoutMs} ms: ${await client.sCard(keys.spaces)} spaces with pending events`,
          );
        await pause(100);
      }
    },
    close: () => client.close(),
  };
}
