/**
 * Assembling the bot, as composition only: skills and cards → stores → intake and event queue →
 * HTTP server (with the webhook receiver) → Webex session → event processor → receiver → ready.
 * Each part started pushes its stop on a clean-up stack, so that a failure part-way through, or
 * the final stop, stops what was started in reverse order, once.
 *
 * The server listens before the session starts, so the webhook URL is reachable when the
 * webhooks are registered; events arriving before the session is ready are taken and wait in
 * the queue (nothing is dropped at start-up). The path of one event, file by file, is drawn in
 * `docs/architecture.md`.
 */
import { createServer, type Server } from 'node:http';
import { EventDeduper } from './events/dedupe.js';
import { type EventQueue, Intake } from './events/intake.js';
import { DEFAULT_PIPELINE_LIMITS, EventPipeline } from './events/pipeline.js';
import { createEventProcessor, type Routes } from './events/process-event.js';
import type { Logger } from './logging.js';
import { type BotMetricsSetup, type MetricsSettings, setUpMetrics } from './metrics/setup.js';
import { findPostedReply } from './outbound/find-posted.js';
import { createOutbox } from './outbound/outbox.js';
import { SentMessageLedger } from './outbound/sent-messages.js';
import { AccessPolicy, type AccessRules } from './policy/access.js';
import { RefusalNotices } from './policy/refusals.js';
import { ReplyRateLimiter } from './policy/reply-rate.js';
import { Readiness } from './readiness.js';
import type { Receiver } from './receivers/receiver.js';
import { createSocketReceiver } from './receivers/socket-receiver.js';
import { createWebhookReceiver, type WebhookReceiver } from './receivers/webhook-receiver.js';
import { createDispatcher } from './routing/dispatcher.js';
import { loadSkillsAndCards, type SkillsAndCards } from './routing/load-skills-and-cards.js';
import type { RedisSettings, SharedState } from './scale/shared-state.js';
import { createApp } from './server/app.js';
import { FileStore } from './store/file-store.js';
import { MemoryStore } from './store/memory-store.js';
import { prefixedStore } from './store/prefixed.js';
import type { KeyValueStore } from './store/types.js';
import { CleanupStack } from './util/cleanup-stack.js';
import { listen } from './util/listen.js';
import type { GovernorPolicy } from './calls/governor.js';
import {
  type BotIdentity,
  connectToWebex,
  type SocketOptions,
  type WatchdogOptions,
  type WebexSession,
} from './webex/index.js';

/** Everything {@link startBot} needs, already validated. */
export type BotSettings = BotCommonSettings & BotTransportSettings;

/** Webhook mode (the default): Webex POSTs events to a public URL. */
export interface WebhookModeSettings {
  readonly transport?: 'webhook';
  /** The public webhook URL, or a function of the port actually bound (for PORT=0 set-ups). */
  readonly webhookUrl: string | ((port: number) => string);
  readonly webhookSecret: string;
  /** A previous secret still accepted on inbound signatures during a rotation (never registered). */
  readonly webhookSecretPrevious?: string | undefined;
}

/** Websocket mode: the bot keeps Webex's event socket open; no public URL. */
export interface WebsocketModeSettings {
  readonly transport: 'websocket';
  /** How the socket retries and warns. */
  readonly socket?: SocketOptions;
}

/** How events reach the bot. */
export type BotTransportSettings = WebhookModeSettings | WebsocketModeSettings;

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
  /** How long the Webex side of one event may take — fetching it, the framework's look-ups — before the user gets an apology (default 30 s). */
  readonly eventDeadlineMs?: number;
  /** Spaces whose framework bot objects are kept (default 2,000). */
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
  readonly pipeline: Intake;
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
    server.closeAllConnections();
  });
}

/** The stores and the event queue: shared through Redis with the other instances, or this process's own. */
async function openStores(settings: BotSettings, measuring: BotMetricsSetup, cleanup: CleanupStack) {
  const { log } = settings;
  const { metrics } = measuring;
  let shared: SharedState | undefined;
  if (settings.redis) {
    // Loaded only with REDIS_URL: one instance does not carry the Redis client (≈ 5 MB).
    const { openSharedState } = await import('./scale/shared-state.js');
    const inDoubtMs = settings.redis.inDoubtMs ?? settings.governor?.callTimeoutMs;
    shared = await openSharedState({
      ...settings.redis,
      inDoubtMs,
      token: settings.token,
      apiUrl: settings.apiUrl,
      log,
      metrics,
    });
    cleanup.push('the shared state', () => shared?.close());
    metrics.watchPipeline(shared.pipeline);
  }
  // Skills' state must survive a restart (a file by default); event claims and refusals are
  // many, small and short-lived (bounded memory by default).
  const stateStore = settings.stateStore ?? shared?.stateStore ?? (await FileStore.open(settings.stateDir ?? 'data'));
  if (!settings.stateStore && !shared) cleanup.push('the state store', () => stateStore.close());
  const eventStore = settings.eventStore ?? shared?.eventStore ?? new MemoryStore();
  const maxQueued =
    settings.transport === 'websocket' ? Infinity : (settings.eventQueueLimit ?? DEFAULT_PIPELINE_LIMITS.maxQueued);
  const queue: EventQueue =
    shared?.pipeline ??
    new EventPipeline(log, new EventDeduper(prefixedStore(eventStore, 'dedupe:')), metrics, { maxQueued });
  return { shared, stateStore, eventStore, queue };
}

/** Readiness, logging each change after start-up ("bot ready" is start-up's own line). */
function newReadiness(log: Logger): { readiness: Readiness; started(): void } {
  let startedOnce = false;
  const readiness = new Readiness({ started: 'starting up' }, (unmet) => {
    if (!startedOnce) return;
    if (unmet.length === 0) log.info('ready again');
    else log.info('not ready', { unmet });
  });
  return {
    readiness,
    started() {
      readiness.pass('started');
      startedOnce = true;
    },
  };
}

/** The webhook receiver of webhook mode, and the URL Webex is to POST to once the port is known. */
function webhookReceiverFor(
  settings: BotSettings,
  deps: { readiness: Readiness; metrics: BotMetricsSetup; identity: () => BotIdentity | undefined },
) {
  if (settings.transport === 'websocket') return undefined;
  const urlFor = (port: number) =>
    typeof settings.webhookUrl === 'string' ? settings.webhookUrl : settings.webhookUrl(port);
  // With a function URL the path is the same whatever the port: compute it from a placeholder.
  const receiver = createWebhookReceiver({
    path: new URL(urlFor(1)).pathname,
    secrets: [settings.webhookSecret, ...(settings.webhookSecretPrevious ? [settings.webhookSecretPrevious] : [])],
    log: settings.log,
    metrics: deps.metrics.metrics,
    selfTest: () => {
      const bot = deps.identity();
      return {
        bot: bot ? { id: bot.id, email: bot.email, displayName: bot.displayName } : null,
        ready: deps.readiness.ready,
      };
    },
  });
  return { receiver, urlFor };
}

/** Starts the HTTP server (health, readiness, metrics, the webhook route) on `PORT`. */
async function startHttpServer(
  settings: BotSettings,
  deps: { readiness: Readiness; measuring: BotMetricsSetup; webhook: WebhookReceiver | undefined },
  cleanup: CleanupStack,
) {
  const { log } = settings;
  const app = createApp({
    webhook: deps.webhook,
    log,
    readiness: deps.readiness,
    serveMetrics: deps.measuring.onBotServer,
  });
  const requestTimeoutMs = settings.requestTimeoutMs ?? 10_000;
  // A client that never finishes its request is cut off (408) without holding anything else up.
  const server = createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, requestTimeoutMs),
    },
    app,
  );
  const port = await listen(server, settings.port, settings.host);
  cleanup.push('the HTTP server', () => closeServer(server));
  log.info('listening', { host: settings.host, port, ...(deps.webhook ? { webhookPath: deps.webhook.path } : {}) });
  const metricsUrl = await deps.measuring.start(settings.host, port, log);
  cleanup.push('the metrics server', () => deps.measuring.close());
  return { port, metricsUrl };
}

/**
 * Starts the bot.
 * @throws {SkillLoadError | CardError | StartupError} with a message fit for the operator.
 */
export async function startBot(settings: BotSettings): Promise<RunningBot> {
  const { log } = settings;
  const { skills, cards } = await loadSkillsAndCards(settings.skillsDir, settings.cardsDir);
  log.info('skills loaded', { skills: skills.map((s) => s.info.name), cards: cards.ids });
  const cleanup = new CleanupStack((what, err) => log.warn(`could not stop ${what}`, { err }));
  const measuring = setUpMetrics(settings.metrics);
  const { readiness, started } = newReadiness(log);
  let session: WebexSession | undefined;

  return cleanup.orUnwind(async () => {
    const { shared, stateStore, eventStore, queue } = await openStores(settings, measuring, cleanup);
    shared?.watch(readiness);
    measuring.metrics.watchReadiness(() => readiness.ready);
    const intake = new Intake(queue, readiness, log, measuring.metrics);
    const webhook = webhookReceiverFor(settings, { readiness, metrics: measuring, identity: () => session?.bot });
    await webhook?.receiver.start(intake);
    const { port, metricsUrl } = await startHttpServer(
      settings,
      { readiness, measuring, webhook: webhook?.receiver },
      cleanup,
    );
    const webhookUrl = webhook?.urlFor(port);

    session = await connectToWebex({
      token: settings.token,
      apiUrl: settings.apiUrl,
      log,
      webhook:
        webhookUrl && settings.transport !== 'websocket'
          ? { url: webhookUrl, secret: settings.webhookSecret, lock: shared?.lock }
          : undefined,
      socket: settings.transport === 'websocket' ? settings.socket : undefined,
      governor: settings.governor,
      tokenCooldownMs: settings.tokenCooldownMs,
      onTokenChange: (accepted) =>
        accepted ? readiness.pass('token') : readiness.fail('token', 'Webex rejected the bot token (HTTP 401)'),
      startupTimeoutMs: settings.startupTimeoutMs,
      maxSpaceObjects: settings.maxSpaceObjects,
      metrics: measuring.metrics,
    });
    const connected = session;
    cleanup.push('the Webex session', () => connected.close());
    let checkWebhooks = async (): Promise<void> => undefined;
    const bot = connected.bot;

    // What one event needs, from the webhook's ids to the reply.
    const sentMessages = new SentMessageLedger(
      (id) => connected.api.getMessage(id),
      () => bot.id,
    );
    const outbox = createOutbox({
      webex: {
        create: (message) => connected.api.postMessage(message),
        listRecent: (roomId, max) => connected.api.listMessages(roomId, max),
      },
      ledger: sentMessages,
      rate: new ReplyRateLimiter({ perMinute: settings.replyRatePerMinute ?? 30 }),
      botId: () => bot.id,
    });
    let routes: Routes = createDispatcher({ skills, cards, store: stateStore, bot: () => bot });
    const processEvent = createEventProcessor({
      botId: bot.id,
      api: connected.api,
      dispatch: connected.dispatch,
      routes: () => routes,
      outbox,
      sentMessages,
      guards: {
        access: new AccessPolicy(settings.access ?? { domains: [], emails: [] }),
        respondToBots: settings.respondToBots ?? false,
        refusals: new RefusalNotices(eventStore),
      },
      eventDeadlineMs: settings.eventDeadlineMs ?? 30_000,
    });
    shared?.connected({
      findPosted: (message, since, known) =>
        findPostedReply(
          (roomId, max) => connected.api.listMessages(roomId, max),
          bot.id,
          message as never,
          since,
          (id) => known.has(id),
        ),
      checkWebhooks: () => checkWebhooks(),
    });
    intake.start(processEvent, bot.id);

    // The transport: the webhooks watched, or the event socket opened.
    let receiver: Receiver;
    if (webhook) {
      const watchdog = connected.watchWebhooks(
        { lastDeliveryAt: () => intake.lastDeliveryAt, ...(shared ? { isHolder: () => shared.lock.held() } : {}) },
        settings.watchdog,
      );
      cleanup.push('the webhook watchdog', () => watchdog.stop());
      checkWebhooks = () => watchdog.check();
      receiver = webhook.receiver;
    } else {
      receiver = createSocketReceiver((sink) => connected.openEventSocket(sink), { readiness, log });
      await receiver.start(intake);
      cleanup.push('the event socket', () => receiver.stop());
    }

    started();
    log.info('bot ready', {
      bot: bot.email,
      transport: receiver.kind,
      ...(webhookUrl ? { webhookUrl, webhooks: connected.webhooks.map((w) => `${w.resource}/${w.event}`) } : {}),
    });

    let stopping: Promise<boolean> | undefined;
    return {
      bot,
      port,
      transport: receiver.kind,
      webhookUrl,
      skills: skills.map((s) => s.info.name),
      pipeline: intake,
      readiness,
      ...(metricsUrl ? { metricsUrl } : {}),
      checkWebhooks: () => checkWebhooks(),
      replaceSkills(next) {
        routes = createDispatcher({ skills: next.skills, cards: next.cards, store: stateStore, bot: () => bot });
      },
      stop(drainMs = 10_000) {
        stopping ??= (async () => {
          readiness.fail('draining', 'shutting down');
          log.info(
            webhook
              ? 'draining: new webhooks are refused (503) until the events in flight are done'
              : 'draining: the event socket is closed; the events in flight finish',
            { inFlight: intake.inFlight, drainMs },
          );
          await receiver.stop();
          const drained = await intake.drain(drainMs);
          if (!drained) log.warn('stopping with events still in flight', { inFlight: intake.inFlight });
          await cleanup.unwind();
          log.info('bot stopped', { drained });
          return drained;
        })();
        return stopping;
      },
    };
  });
}
