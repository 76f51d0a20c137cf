/**
 * Adjustments to the framework's SDK instance, installed the moment it is created
 * (see `withSdkConfig`). Each replaces one SDK behaviour that is wrong for a bot.
 */
import type { WebexSdk } from 'webex';
import type { Logger } from '../logging.js';
import { ensureWebhook, type WebhookApi, type WebhookRecord, type WebhookSpec } from './webhooks/ensure.js';
import { PeopleCache, type PeopleCacheOptions } from './people-cache.js';
import { loadSdkPackage } from './sdk.js';
import { ensureWebhookWithLock, type WebhookLock } from './webhooks/lock.js';

/**
 * Person look-ups without the SDK's people batcher, from a {@link PeopleCache}.
 *
 * The batcher (used by the framework for the sender of every event) mishandles failures: a
 * 429/5xx answer leaves the look-up pending forever — which would stall every later event of that
 * space behind it — and an unknown id rejects with a bare string plus an unhandled rejection
 * (found with the emulator). A direct `GET /people/{id}` fails like every other call; the cache
 * makes it one call per person per while instead of one per event.
 */
export function installDirectPeopleLookup(sdk: WebexSdk, cacheOptions: PeopleCacheOptions = {}): PeopleCache {
  const people = sdk.people as unknown as { get: (person: unknown) => Promise<unknown> };
  const original = people.get.bind(people);
  const cache = new PeopleCache(
    async (id) => (await sdk.request({ service: 'hydra', resource: `people/${encodeURIComponent(id)}` })).body,
    cacheOptions,
  );
  people.get = async (person: unknown) => {
    if (person === 'me' || !person) return original(person);
    const p = person as { personId?: string; id?: string };
    return cache.get(String(typeof person === 'string' ? person : (p.personId ?? p.id)));
  };
  return cache;
}

/** Result of {@link installWebhookAdapter}. */
export interface WebhookRegistration {
  /** Resolves with the two webhooks once the framework has asked for both; rejects on failure. */
  readonly done: Promise<WebhookRecord[]>;
  /** The SDK's real webhook calls (the adapter hides them from the framework), for the watchdog. */
  readonly api: WebhookApi;
  /** The webhooks the framework asked for, as ensured. */
  readonly specs: readonly WebhookSpec[];
}

/**
 * Routes the framework's webhook calls through {@link ensureWebhook}: its "list" sees nothing to
 * delete, its "remove" deletes nothing (so `framework.stop()` keeps the webhooks), and each
 * "create" becomes ensure (reuse, update, de-duplicate, create only what is missing).
 *
 * @param expected how many webhooks the framework creates (firehose + attachmentActions)
 * @param lock with several instances: only its holder registers; the others wait for the webhooks
 */
export function installWebhookAdapter(
  sdk: WebexSdk,
  secret: string,
  log: Logger,
  expected = 2,
  lock?: WebhookLock,
): WebhookRegistration {
  const real = sdk.webhooks;
  const api = {
    list: real.list.bind(real),
    create: real.create.bind(real),
    update: real.update.bind(real),
    remove: real.remove.bind(real),
  };
  const registered: Array<Promise<WebhookRecord>> = [];
  const specs: WebhookSpec[] = [];
  let resolve!: (hooks: WebhookRecord[]) => void;
  let reject!: (err: unknown) => void;
  const done = new Promise<WebhookRecord[]>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  done.catch(() => undefined); // the caller observes it; avoid an unhandled rejection meanwhile

  const emptyPage = {
    items: [],
    length: 0,
    hasNext: () => false,
    next: () => Promise.reject(new Error('no next page')),
  };
  real.list = async () => emptyPage;
  real.remove = async () => undefined;
  real.create = (spec: Record<string, unknown>) => {
    const wanted: WebhookSpec = {
      name: String(spec['name']),
      targetUrl: String(spec['targetUrl']),
      resource: String(spec['resource']),
      event: String(spec['event']),
      secret,
    };
    specs.push(wanted);
    const created = lock
      ? ensureWebhookWithLock(api, wanted, log, lock)
      : ensureWebhook(api, wanted, log).then((r) => r.webhook);
    registered.push(created);
    created.then(() => {
      if (registered.length === expected) Promise.all(registered).then(resolve, reject);
    }, reject);
    return created;
  };
  return { done, api, specs };
}

/**
 * Keeps the framework from listening on the event socket itself (websocket mode). Its listeners
 * are attached only after all four `listen()` calls resolved (events before are lost) and call
 * its event processing directly, past the bot's pipeline. With `listen()` a no-op the plugins
 * never subscribe to the socket, so the framework's listeners never fire; the bot's own
 * `openEventSocket` carries the events into the pipeline instead.
 */
export function disableFrameworkSocketListeners(sdk: WebexSdk): void {
  ignoreFailedAcknowledgements();
  const plugins = sdk as unknown as Record<
    'messages' | 'memberships' | 'rooms' | 'attachmentActions',
    { listen: () => Promise<void>; stopListening?: () => Promise<void> }
  >;
  for (const name of ['messages', 'memberships', 'rooms', 'attachmentActions'] as const) {
    plugins[name].listen = async () => undefined;
    plugins[name].stopListening = async () => undefined;
  }
  // The device and socket code report each registration and connection to Webex's client
  // metrics, in batches sent later — also after the bot has stopped, with retries that only add
  // warnings. The bot logs those outcomes itself, so it reports none.
  const metrics = (sdk as unknown as { internal: { metrics: { submitClientMetrics: () => Promise<void> } } }).internal
    .metrics;
  metrics.submitClientMetrics = async () => undefined;
}

let acknowledgementsFixed = false;

/**
 * The SDK's socket client acknowledges every frame it receives and never handles the result: a
 * frame arriving while the socket closes (or one without an `id`) leaves an unhandled rejection,
 * which stops a Node process. The acknowledgement is best effort anyway (the frame was received),
 * so its failure is ignored. Applies to the SDK's socket class once, for every instance.
 */
export function ignoreFailedAcknowledgements(): void {
  if (acknowledgementsFixed) return;
  const { Socket } = loadSdkPackage<{ Socket: { prototype: { _acknowledge(event: unknown): Promise<unknown> } } }>(
    '@webex/internal-plugin-mercury',
  );
  const original = Socket.prototype._acknowledge;
  Socket.prototype._acknowledge = function acknowledge(this: unknown, event: unknown): Promise<unknown> {
    return original.call(this, event).catch(() => undefined);
  };
  acknowledgementsFixed = true;
}
