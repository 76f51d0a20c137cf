/**
 * Assembling the bot: skills → cards → HTTP server → Webex connection → ready.
 *
 * The server listens before the connection starts, so the webhook URL is reachable when the
 * webhooks are registered; events arriving before the connection is ready are accepted and wait
 * in the pipeline (nothing is dropped at start-up).
 */
import { createServer, type Server } from 'node:http';
import { loadCards } from './cards/card-registry.js';
import { EventDeduper } from './events/dedupe.js';
import { EventPipeline } from './events/pipeline.js';
import type { Logger } from './logging.js';
import { setUpMetrics, type MetricsSettings } from './metrics/setup.js';
import type { AccessRules } from './policy/access.js';
import { Readiness } from './readiness.js';
import { createDispatcher } from './routing/dispatcher.js';
import { createApp } from './server/app.js';
import type { AcceptVerdict } from './server/webhook-route.js';
import { checkSkillSet, loadSkills } from './skill-kit/loader.js';
import { MemoryStore } from './store/memory-store.js';
import { prefixedStore } from './store/prefixed.js';
import type { KeyValueStore } from './store/types.js';
import { listen } from './util/listen.js';
import { connectToWebex, type BotIdentity, type WebexConnection } from './webex/connection.js';
import type { GovernorPolicy } from './webex/governor/governor.js';
import type { WatchdogOptions } from './webex/webhook-watchdog.js';

/** Everything {@link startBot} needs, already validated. */
export interface BotSettings {
  readonly token: string;
  readonly apiUrl: string;
  /** The public webhook URL, or a function of the port actually bound (for PORT=0 set-ups). */
  readonly webhookUrl: string | ((port: number) => string);
  readonly webhookSecret: string;
  /** A previous secret still accepted on inbound signatures during a rotation (never registered). */
  readonly webhookSecretPrevious?: string | undefined;
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
  /** Where dedupe claims and refusals are remembered (default: in memory, bounded). */
  readonly store?: KeyValueStore;
  /** Longest a client may take to send one request (default 10 s). */
  readonly requestTimeoutMs?: number;
  readonly startupTimeoutMs?: number;
  /** Deadline for the Webex side of one event (see `ConnectOptions.eventDeadlineMs`). */
  readonly eventDeadlineMs?: number;
  /** Limits of the Webex call governor (tests use short ones). */
  readonly governor?: Partial<GovernorPolicy>;
  /** After a 401, how long Webex calls are refused before one probes again. */
  readonly tokenCooldownMs?: number;
  readonly watchdog?: WatchdogOptions;
  /** Prometheus metrics on `GET /metrics` (`METRICS`, `METRICS_PORT`): on the bot's port, or on `port` of their own. Unset: off. */
  readonly metrics?: MetricsSettings;
}

/** A running bot. */
export interface RunningBot {
  readonly bot: BotIdentity;
  /** The port the HTTP server listens on. */
  readonly port: number;
  readonly webhookUrl: string;
  readonly skills: readonly string[];
  readonly pipeline: EventPipeline;
  readonly readiness: Readiness;
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
  const skills = await loadSkills(settings.skillsDir);
  const cards = loadCards(settings.cardsDir);
  checkSkillSet(skills, new Set(cards.ids));
  log.info('skills loaded', { skills: skills.map((s) => s.info.name), cards: cards.ids });

  const store = settings.store ?? new MemoryStore();
  let startedOnce = false;
  // Start-up's own "ready" is the "bot ready" line; after that, every change is logged.
  const readiness = new Readiness({ started: 'starting up' }, (unmet) => {
    if (unmet.length === 0 && startedOnce) log.info('ready again');
    else if (unmet.length > 0 && startedOnce) log.info('not ready', { unmet });
  });
  const measuring = setUpMetrics(settings.metrics);
  const { metrics } = measuring;
  metrics.watchReadiness(() => readiness.ready);
  const pipeline = new EventPipeline(log, new EventDeduper(prefixedStore(store, 'dedupe:')), metrics);
  const accept = async (envelope: Parameters<EventPipeline['accept']>[0], requestId: string): Promise<AcceptVerdict> => {
    if (readiness.isUnmet('draining')) return { status: 'unavailable', reason: 'the bot is shutting down' };
    if (readiness.isUnmet('token')) return { status: 'unavailable', reason: 'Webex rejected the bot token' };
    const { status, eventId } = await pipeline.accept(envelope, { requestId });
    return { status, eventId };
  };

  const webhookPath = (url: string): string => new URL(url).pathname;
  // With a function URL the path is the same whatever the port: compute it from a placeholder.
  const path = webhookPath(typeof settings.webhookUrl === 'string' ? settings.webhookUrl : settings.webhookUrl(1));
  const app = createApp({
    webhookPath: path,
    secrets: [settings.webhookSecret, ...(settings.webhookSecretPrevious ? [settings.webhookSecretPrevious] : [])],
    accept,
    log,
    readiness,
    metrics,
    selfTest: () => ({ bot: dispatcherBot ? { id: dispatcherBot.id, email: dispatcherBot.email, displayName: dispatcherBot.displayName } : null, ready: readiness.ready }),
    ...(measuring.onBotServer ? { serveMetrics: measuring.onBotServer } : {}),
  });
  const requestTimeoutMs = settings.requestTimeoutMs ?? 10_000;
  // A client that never finishes its request is cut off (408) without holding anything else up.
  const httpServer = createServer({ requestTimeout: requestTimeoutMs, headersTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(1000, requestTimeoutMs) }, app);
  const port = await listen(httpServer, settings.port, settings.host);
  const webhookUrl = typeof settings.webhookUrl === 'string' ? settings.webhookUrl : settings.webhookUrl(port);
  log.info('listening', { host: settings.host, port, webhookPath: path });
  const metricsUrl = await measuring.start(settings.host, port, log).catch(async (err: unknown) => {
    await closeServer(httpServer);
    throw err;
  });

  let connection: WebexConnection;
  let dispatcherBot: BotIdentity | undefined;
  try {
    const dispatcher = createDispatcher({
      skills,
      cards,
      bot: () => {
        if (!dispatcherBot) throw new Error('bot identity not known yet');
        return dispatcherBot;
      },
    });
    connection = await connectToWebex({
      token: settings.token,
      apiUrl: settings.apiUrl,
      webhookUrl,
      webhookSecret: settings.webhookSecret,
      log,
      handlers: { message: dispatcher.handleMessage, submission: dispatcher.handleSubmission },
      store,
      ...(settings.access ? { access: settings.access } : {}),
      ...(settings.respondToBots !== undefined ? { respondToBots: settings.respondToBots } : {}),
      ...(settings.replyRatePerMinute !== undefined ? { replyRatePerMinute: settings.replyRatePerMinute } : {}),
      ...(settings.governor ? { governor: settings.governor } : {}),
      ...(settings.tokenCooldownMs !== undefined ? { tokenCooldownMs: settings.tokenCooldownMs } : {}),
      ...(settings.watchdog ? { watchdog: settings.watchdog } : {}),
      onTokenChange: (accepted) => (accepted ? readiness.pass('token') : readiness.fail('token', 'Webex rejected the bot token (HTTP 401)')),
      lastDeliveryAt: () => pipeline.lastDeliveryAt,
      ...(settings.startupTimeoutMs !== undefined ? { startupTimeoutMs: settings.startupTimeoutMs } : {}),
      ...(settings.eventDeadlineMs !== undefined ? { eventDeadlineMs: settings.eventDeadlineMs } : {}),
      metrics,
    });
    dispatcherBot = connection.bot;
  } catch (err) {
    await closeServer(httpServer);
    await measuring.close();
    throw err;
  }
  pipeline.setHandler(connection.handle, connection.bot.id);
  readiness.pass('started');
  startedOnce = true;
  log.info('bot ready', { bot: connection.bot.email, webhookUrl, webhooks: connection.webhooks.map((w) => `${w.resource}/${w.event}`) });

  let stopping: Promise<boolean> | undefined;
  return {
    bot: connection.bot,
    port,
    webhookUrl,
    skills: skills.map((s) => s.info.name),
    pipeline,
    readiness,
    ...(metricsUrl ? { metricsUrl } : {}),
    checkWebhooks: () => connection.checkWebhooks(),
    stop(drainMs = 10_000) {
      stopping ??= (async () => {
        readiness.fail('draining', 'shutting down');
        log.info('draining: new webhooks are refused (503) until the events in flight are done', { inFlight: pipeline.inFlight, drainMs });
        const drained = await pipeline.drain(drainMs);
        if (!drained) log.warn('stopping with events still in flight', { inFlight: pipeline.inFlight });
        await connection.close();
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
