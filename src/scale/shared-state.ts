/**
 * Several instances on one Redis (`REDIS_URL`): everything an instance shares with the others,
 * opened before anything else at start-up.
 *
 * - the **event store** (claims, refusal notices) and the **state store** (skills' state, forms),
 *   both {@link RedisStore}s under the bot's namespace;
 * - the **event queue** ({@link DurablePipeline}): events durable before their 200, one space at a
 *   time, taken over when an instance dies;
 * - the **reconciler lock** ({@link ReconcilerLock}): one instance registers and watches the webhooks;
 * - readiness: `redis` unmet while Redis is unreachable (webhooks are then answered 503).
 */
import type { BotMetrics } from '../metrics/types.js';
import type { Logger } from '../logging.js';
import type { Readiness } from '../readiness.js';
import { RedisStore } from '../store/redis-store.js';
import type { KeyValueStore } from '../store/types.js';
import { DurablePipeline, newInstanceId } from './durable-pipeline.js';
import { botNamespace, lookUpBotId } from './namespace.js';
import { QueueKeys } from './queue-scripts.js';
import { ReconcilerLock } from './reconciler-lock.js';
import { connectRedis, type SharedRedis } from './redis-client.js';

/** Redis settings of a bot (`REDIS_URL`, `REDIS_LEASE_TIMEOUT`). */
export interface RedisSettings {
  readonly url: string;
  /** How long a stopped instance's spaces and reconciler lock stay its own (default 10 s). */
  readonly leaseMs?: number;
  /** How long a reply POST may still land after it started (default 10 s: the Webex call timeout). */
  readonly inDoubtMs?: number;
}

/** What one instance shares with the others. */
export interface SharedState {
  readonly redis: SharedRedis;
  /** The bot's key prefix. */
  readonly namespace: string;
  /** This instance's name in leases and locks. */
  readonly instanceId: string;
  readonly eventStore: KeyValueStore;
  readonly stateStore: KeyValueStore;
  readonly pipeline: DurablePipeline;
  readonly lock: ReconcilerLock;
  /** Keeps readiness's `redis` condition up to date. */
  watch(readiness: Readiness): void;
  /** Once Webex is connected: a webhook check on each takeover of the lock. */
  connected(webex: { checkWebhooks(): Promise<void> }): void;
  /** Stops the queue's timers, gives the lock up, closes the connection. */
  close(): Promise<void>;
}

/**
 * Connects to Redis, learns the bot's id (its namespace), tries for the reconciler lock.
 * @throws {StartupError} `REDIS_UNREACHABLE`, `WEBEX_UNAUTHORIZED`, `WEBEX_UNREACHABLE`
 */
export async function openSharedState(
  settings: RedisSettings & {
    readonly token: string;
    readonly apiUrl: string;
    readonly log: Logger;
    readonly metrics?: BotMetrics;
  },
): Promise<SharedState> {
  const { log } = settings;
  const redis = await connectRedis({ url: settings.url, log });
  try {
    const namespace = botNamespace(await lookUpBotId(settings.apiUrl, settings.token));
    const keys = new QueueKeys(namespace);
    const instanceId = newInstanceId();
    const leaseMs = settings.leaseMs ?? 10_000;
    const pipeline = new DurablePipeline({
      redis,
      keys,
      instanceId,
      log,
      leaseMs,
      inDoubtMs: settings.inDoubtMs,
      metrics: settings.metrics,
    });
    const lock = new ReconcilerLock(redis, keys.reconciler, instanceId, log, leaseMs);
    await lock.start();
    log.info('sharing events and state with the other instances through Redis', {
      redis: redis.where,
      namespace,
      instance: instanceId,
      holdsReconcilerLock: lock.held(),
    });
    return sharedState(redis, namespace, instanceId, pipeline, lock);
  } catch (err) {
    await redis.close();
    throw err;
  }
}

/** The shared state over its parts, once they run. */
function sharedState(
  redis: SharedRedis,
  namespace: string,
  instanceId: string,
  pipeline: DurablePipeline,
  lock: ReconcilerLock,
): SharedState {
  return {
    redis,
    namespace,
    instanceId,
    eventStore: new RedisStore(redis.client, `${namespace}event:`),
    stateStore: new RedisStore(redis.client, `${namespace}state:`),
    pipeline,
    lock,
    watch(readiness) {
      const reflect = (up: boolean) =>
        up
          ? readiness.pass('redis')
          : readiness.fail('redis', 'Redis is unreachable (REDIS_URL): webhooks are answered 503 until it is back');
      reflect(redis.up);
      redis.onChange(reflect);
    },
    connected(webex) {
      lock.onAcquired(() => void webex.checkWebhooks());
    },
    async close() {
      pipeline.close();
      await lock.stop();
      await redis.close();
    },
  };
}
