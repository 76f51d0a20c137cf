/**
 * Assembling the bot: skills → cards → HTTP server → Webex connection → ready.
 *
 * The server listens before the connection starts, so the webhook URL is reachable when the
 * webhooks are registered; events arriving before the connection is ready are accepted and wait
 * in the pipeline (nothing is dropped at start-up). In websocket mode the server only serves
 * `/healthz` and `/readyz`, and the socket's events go to the same pipeline (`accept`).
 */
import { createServer, type Server } from 'node:http';
import { EventDeduper } from './events/dedupe.js';
import type { EventIntake } from './events/intake.js';
import { DEFAULT_PIPELINE_LIMITS, EventPipeline } from './events/pipeline.js';
import type { Logger } from './logging.js';
import { setUpMetrics, type MetricsSettings } from './metrics/setup.js';
import type { AccessRules } from './policy/access.js';
import { Readiness } from './readiness.js';
import { createDispatcher } from './routing/dispatcher.js';
import { createApp } from './server/app.js';
import type { AcceptVerdict } from './server/webhook-route.js';
import { loadSkillsAndCards, type SkillsAndCards } from './routing/load-skills-and-cards.js';
import { FileStore } from './store/file-store.js';
import { MemoryStore } from './store/memory-store.js';
import { prefixedStore } from './store/prefixed.js';
import type { KeyValueStore } from './store/types.js';
import type { RedisSettings } from './scale/shared-state.js';
import { listen } from './util/listen.js';
import { connectToWebex, type BotIdentity, type WebexConnection } from './webex/connection.js';
import type { GovernorPolicy } from './webex/governor/governor.js';
import type { WatchdogOptions } from './webex/webhook-watchdog.js';
import { socketTransport, type BotTransportSettings } from './socket-mode.js';

export type { BotTransportSettings } from './socket-mode.js';

/** Everything {@link startBot} needs, already validated. */
export type BotSettings = BotCommonSettings & BotTransportSettings;

/** Settings of both transports. */
export interface BotCommonSettings {
  readonly token: string;
  readonly apiUrl: string;
  readonly port: number;
  readonly host: string;
  readonly skillsDir: string;
  readonly cardsDir: string;
  readonly log: Logger;
  /** Who may use the bot (`ALLOWED_DOMAINS`, `ALLOWED_EMAILS`); unset: everyone. */
  readonly access?: AccessRules;
  /** Answer other bots' messages too (`RESPOND_TO_BOTS`; default false). */
  readonly respondToBots?: boolean;
  /** Messages per space per minute (`REPLY_RATE_LIMIT`; default 30). */
  readonly replyRatePerMinute?: number;
  /**
   * Events held before deliveries are refused for Webex to redeliver (`EVENT_QUEUE_LIMIT`; default
   * 10,000). Webhook mode only: an event from the socket cannot be delivered again, so none is refused.
   */
  readonly eventQueueLimit?: number;
  /** Where dedupe claims and refusals are remembered (default: in memory, bounded). */
  readonly eventStore?: KeyValueStore;
  /** Folder of the file-backed store of skills' state (`STATE_DIR`, default `data/`); unused when `stateStore` is given. */
  readonly stateDir?: string;
  /** The store of skills' state (the caller keeps it open and closes it); default: a file store in `stateDir`. */
  readonly stateStore?: KeyValueStore;
  /** Longest a client may take to send one request (default 10 s). */
  readonly requestTimeoutMs?: number;
  readonly startupTimeoutMs?: number;
  /** Deadline for the Webex side of one event (see `ConnectOptions.eventDeadlineMs`). */
  readonly eventDeadlineMs?: number;
  /** Spaces whose framework bot objects are kept (see `ConnectOptions.maxSpaceObjects`). */
  readonly maxSpaceObjects?: number;
  /** Limits of the Webex call governor (tests use short ones). */
  readonly governor?: Partial<GovernorPolicy>;
  /** After a 401, how long Webex calls are refused before one probes again. */
  readonly tokenCooldownMs?: number;
  readonly watchdog?: WatchdogOptions;
  /** Prometheus metrics on `GET /metrics` (`METRICS`, `METRICS_PORT`): on the bot's port, or on `port` of their own. Unset: off. */
  readonly metrics?: MetricsSettings;
  /** Several instances on one Redis (`REDIS_URL`): events, claims and skills' state shared there. */
  readonly redis?: RedisSettings;
}

/** A running bot. */
export interface RunningBot {
  readonly bot: BotIdentity;
  /** The port the HTTP server listens on. */
  readonly port: number;
  /** How events arrive. */
  readonly transport: 'webhook' | 'websocket';
  /** The webhook URL (webhook mode). */
  readonly webhookUrl: string | undefined;
  readonly skills: readonly string[];
  readonly pipeline: EventIntake;
  readonly readiness: Readiness;
  /** Serves `next` (freshly loaded and checked skills and cards) from the next event on. */
  replaceSkills(next: SkillsAndCards): void;
  /** Where the metrics are served, when they are on. */
  readonly metricsUrl?: string;
  /** Checks (and restores) the webhooks now, as the watchdog does on its own schedule. */
  checkWebhooks(): Promise<void>;
  /**
   * Stops taking events (webhooks are answered 503, so Webex delivers them again later), lets
   * the ones in flight finish (up to `drainMs`), and disconnects. The webhooks stay registered.
   * @returns true when every event in flight finished.
   */
  stop(drainMs?: number): Promise<boolean>;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/**
 * Starts the bot.
 * @throws {SkillLoadError | CardError | StartupError} with a message fit for the operator.
 */
export async function startBot(settings: BotSettings): Promise<RunningBot> {
  const { log } = settings;
  const { skills, cards } = await loadSkillsAndCards(settings.skillsDir, settings.cardsDir);
  log.info('skills loaded', { skills: skills.map((s) => s.info.name), cards: cards.ids });

  const measuring = setUpMetrics(settings.metrics);
  const { metrics } = measuring;
  // With REDIS_URL, Redis holds both stores and the event queue, shared with the other instances.
  // Loaded only with REDIS_URL: one instance does not carry the Redis client (≈ 5 MB).
  const shared = settings.redis
    ? await (await import('./scale/shared-state.js')).openSharedState({
        ...settings.redis,
        inDoubtMs: settings.redis.inDoubtMs ?? settings.governor?.callTimeoutMs,
        token: settings.token,
        apiUrl: settings.apiUrl,
        log,
        metrics,
      })
    : undefined;
  // Two stores: skills' state must survive a restart (a file by default); event claims and
  // refusals are many, small and short-lived (bounded memory by default).
  const stateStore = settings.stateStore ?? shared?.stateStore ?? (await FileStore.open(settings.stateDir ?? 'data'));
  const closeStores = async (): Promise<void> => {
    if (!settings.stateStore) await stateStore.close();
    await shared?.close();
  };
  const eventStore = settings.eventStore ?? shared?.eventStore ?? new MemoryStore();
  let startedOnce = false;
  // Start-up's own "ready" is the "bot ready" line; after that, every change is logged.
  const readiness = new Readiness({ started: 'starting up' }, (unmet) => {
    if (unmet.length === 0 && startedOnce) log.info('ready again');
    else if (unmet.length > 0 && startedOnce) log.info('not ready', { unmet });
  });
  const pipeline: EventIntake =
    shared?.pipeline ??
    new EventPipeline(log, new EventDeduper(prefixedStore(eventStore, 'dedupe:')), metrics, {
      maxQueued:
        settings.transport === 'websocket' ? Infinity : (settings.eventQueueLimit ?? DEFAULT_PIPELINE_LIMITS.maxQueued),
    });
  shared?.watch(readiness);
  if (shared) metrics.watchPipeline(shared.pipeline);
  metrics.watchReadiness(() => readiness.ready);
  const accept = async (envelope: Parameters<EventIntake['accept']>[0], requestId?: string): Promise<AcceptVerdict> => {
    if (readiness.isUnmet('draining')) return { status: 'unavailable', reason: 'the bot is shutting down' };
    if (readiness.isUnmet('token')) return { status: 'unavailable', reason: 'Webex rejected the bot token' };
    if (readiness.isUnmet('redis')) return { status: 'unavailable', reason: 'Redis is unreachable' };
    const result = await pipeline.accept(envelope, requestId === undefined ? {} : { requestId });
    return result.status === 'unavailable' ? result : { status: result.status, eventId: result.eventId };
  };

  const webhooks = settings.transport === 'websocket' ? undefined : settings;
  const webhookPath = (url: string): string => new URL(url).pathname;
  // With a function URL the path is the same whatever the port: compute it from a placeholder.
  const path = webhooks
    ? webhookPath(typeof webhooks.webhookUrl === 'string' ? webhooks.webhookUrl : webhooks.webhookUrl(1))
    : undefined;
  const app = createApp({
    ...(path ? { webhookPath: path } : {}),
    secrets: webhooks
      ? [webhooks.webhookSecret, ...(webhooks.webhookSecretPrevious ? [webhooks.webhookSecretPrevious] : [])]
      : [],
    accept,
    log,
    readiness,
    metrics,
    selfTest: () => ({
      bot: dispatcherBot
        ? { id: dispatcherBot.id, email: dispatcherBot.email, displayName: dispatcherBot.displayName }
        : null,
      ready: readiness.ready,
    }),
    ...(measuring.onBotServer ? { serveMetrics: measuring.onBotServer } : {}),
  });
  const requestTimeoutMs = settings.requestTimeoutMs ?? 10_000;
  // A client that never finishes its request is cut off (408) without holding anything else up.
  const httpServer = createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, requestTimeoutMs),
    },
    app,
  );
  const port = await listen(httpServer, settings.port, settings.host).catch(async (err: unknown) => {
    await closeStores();
    throw err;
  });
  const webhookUrl = webhooks
    ? typeof webhooks.webhookUrl === 'string'
      ? webhooks.webhookUrl
      : webhooks.webhookUrl(port)
    : undefined;
  log.info('listening', { host: settings.host, port, ...(path ? { webhookPath: path } : {}) });
  const metricsUrl = await measuring.start(settings.host, port, log).catch(async (err: unknown) => {
    await closeServer(httpServer);
    await closeStores();
    throw err;
  });

  let connection: WebexConnection;
  let dispatcherBot: BotIdentity | undefined;
  const botIdentity = (): BotIdentity => {
    if (!dispatcherBot) throw new Error('bot identity not known yet');
    return dispatcherBot;
  };
  let dispatcher = createDispatcher({ skills, cards, store: stateStore, bot: botIdentity });
  try {
    connection = await connectToWebex({
      token: settings.token,
      apiUrl: settings.apiUrl,
      transport:
        settings.transport === 'websocket'
          ? socketTransport(settings, { accept, readiness, log })
          : {
              kind: 'webhook',
              webhookUrl: webhookUrl!,
              webhookSecret: settings.webhookSecret,
              lastDeliveryAt: () => pipeline.lastDeliveryAt,
              ...(settings.watchdog ? { watchdog: settings.watchdog } : {}),
            },
      log,
      handlers: {
        message: (m, scope) => dispatcher.handleMessage(m, scope),
        submission: (s, scope) => dispatcher.handleSubmission(s, scope),
      },
      store: eventStore,
      ...(settings.access ? { access: settings.access } : {}),
      ...(settings.respondToBots !== undefined ? { respondToBots: settings.respondToBots } : {}),
      ...(settings.replyRatePerMinute !== undefined ? { replyRatePerMinute: settings.replyRatePerMinute } : {}),
      ...(settings.governor ? { governor: settings.governor } : {}),
      ...(settings.tokenCooldownMs !== undefined ? { tokenCooldownMs: settings.tokenCooldownMs } : {}),
      onTokenChange: (accepted) =>
        accepted ? readiness.pass('token') : readiness.fail('token', 'Webex rejected the bot token (HTTP 401)'),
      ...(settings.startupTimeoutMs !== undefined ? { startupTimeoutMs: settings.startupTimeoutMs } : {}),
      ...(settings.eventDeadlineMs !== undefined ? { eventDeadlineMs: settings.eventDeadlineMs } : {}),
      ...(settings.maxSpaceObjects !== undefined ? { maxSpaceObjects: settings.maxSpaceObjects } : {}),
      metrics,
      ...(shared ? { webhookLock: shared.lock } : {}),
    });
    dispatcherBot = connection.bot;
  } catch (err) {
    await closeServer(httpServer);
    await closeStores();
    await measuring.close();
    throw err;
  }
  shared?.connected(connection);
  pipeline.setHandler(connection.handle, connection.bot.id);
  readiness.pass('started');
  startedOnce = true;
  log.info('bot ready', {
    bot: connection.bot.email,
    transport: connection.transport,
    ...(webhookUrl ? { webhookUrl, webhooks: connection.webhooks.map((w) => `${w.resource}/${w.event}`) } : {}),
  });

  let stopping: Promise<boolean> | undefined;
  return {
    bot: connection.bot,
    port,
    transport: connection.transport,
    webhookUrl,
    skills: skills.map((s) => s.info.name),
    pipeline,
    readiness,
    ...(metricsUrl ? { metricsUrl } : {}),
    checkWebhooks: () => connection.checkWebhooks(),
    replaceSkills(next) {
      dispatcher = createDispatcher({ skills: next.skills, cards: next.cards, store: stateStore, bot: botIdentity });
    },
    stop(drainMs = 10_000) {
      stopping ??= (async () => {
        readiness.fail('draining', 'shutting down');
        log.info(
          webhooks
            ? 'draining: new webhooks are refused (503) until the events in flight are done'
            : 'draining: the event socket is closed; the events in flight finish',
          { inFlight: pipeline.inFlight, drainMs },
        );
        await connection.stopReceiving();
        const drained = await pipeline.drain(drainMs);
        if (!drained) log.warn('stopping with events still in flight', { inFlight: pipeline.inFlight });
        await connection.close();
        await closeStores();
        const closed = closeServer(httpServer);
        httpServer.closeAllConnections();
        await closed;
        await measuring.close();
        log.info('bot stopped', { drained });
        return drained;
      })();
      return stopping;
    },
  };
}
