/**
 * Everything a several-instances test starts, in one call: its own Redis, an emulator, the bot
 * processes behind the proxy, and a view into the Redis — stopped together.
 */
import { startEmulator, type Emulator, type EmulatorOptions } from '../../../src/emulator/index.js';
import { startCluster, type Cluster, type ClusterOptions } from './bot-cluster.js';
import { inspectRedis, type RedisView } from './redis-inspect.js';
import { startRedis, type TestRedis } from './redis-server.js';

/** A running set-up. */
export interface ScaleWorld {
  readonly redis: TestRedis;
  readonly emulator: Emulator;
  readonly cluster: Cluster;
  readonly view: RedisView;
  stop(): Promise<void>;
}

/** Starts Redis, the emulator (retrying deliveries, never marking a webhook inactive) and the cluster. */
export async function startScaleWorld(
  options: Omit<ClusterOptions, 'emulator' | 'redisUrl'> & { readonly emulator?: EmulatorOptions },
): Promise<ScaleWorld> {
  const redis = await startRedis();
  const { emulator: emulatorOptions, ...clusterOptions } = options;
  const emulator = await startEmulator({
    ...emulatorOptions,
    delivery: {
      retryDelaysMs: [250, 500, 1000, 2000, 4000],
      inactiveAfterFailures: 1000,
      ...emulatorOptions?.delivery,
    },
  });
  let cluster: Cluster | undefined;
  let view: RedisView | undefined;
  const stop = async (): Promise<void> => {
    await cluster?.stop();
    await view?.close();
    await emulator.stop();
    await redis.stop();
  };
  try {
    cluster = await startCluster({ ...clusterOptions, emulator, redisUrl: redis.url });
    view = await inspectRedis(redis.url, emulator);
  } catch (err) {
    await stop();
    throw err;
  }
  return { redis, emulator, cluster, view, stop };
}
