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
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { DEFAULT_GOVERNOR_POLICY } from './calls/governor.js';
import { journalClaims } from './events/claims.js';
import { EventDeduper } from './events/dedupe.js';
import { EventJournal } from './events/journal/index.js';
import { type EventQueue, Intake } from './events/intake.js';
import { EventPipeline } from './events/pipeline.js';
import { createEventProcessor, type Routes } from './events/process-event.js';
import type { Logger } from './logging.js';
import { type BotMetricsSetup, setUpMetrics } from './metrics/setup.js';
import { findPostedReply } from './outbound/find-posted.js';
import { createOutbox } from './outbound/outbox.js';
import { SentMessageLedger } from './outbound/sent-messages.js';
import type { BotSettings } from './bot-settings.js';
import { AccessPolicy } from './policy/access.js';
import { RefusalNotices } from './policy/refusals.js';
import { ReplyRateLimiter } from './policy/reply-rate.js';
import { Readiness } from './readiness.js';
import type { Receiver } from './receivers/receiver.js';
import { createSocketReceiver } from './receivers/socket-receiver.js';
import { createWebhookReceiver, type WebhookReceiver } from './receivers/webhook-receiver.js';
import { loadSkillsAndCards, type SkillsAndCards } from './routing/load-skills-and-cards.js';
import type { SharedState } from './scale/shared-state.js';
import { createApp } from './server/app.js';
import { FileStore } from './store/file-store.js';
import { watchStoreHealth } from './store/index.js';
import type { KeyValueStore } from './store/types.js';
import { MemoryStore } from './store/memory-store.js';
import { prefixedStore } from './store/prefixed.js';
import { CleanupStack } from './util/cleanup-stack.js';
import type { NotifyOptions } from './notify/route.js';
import { listen } from './util/listen.js';
import { skillsRuntime } from './skills-runtime.js';
import { type BotIdentity, connectToWebex, UploadFile, type WebexSession } from './webex/index.js';
import type { SkillServices } from './routing/dispatch-core.js';

export type { BotConfig, BotSettings, BotTuning } from './bot-settings.js';

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
  readonly metricsUrl: string | undefined;
  /** Where `POST /notify` is served, when `NOTIFY_TOKEN` turns it on. */
  readonly notifyUrl: string | undefined;
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

/** What start-up shares between its steps. */
interface Building {
  readonly settings: BotSettings;
  readonly log: Logger;
  readonly cleanup: CleanupStack;
  readonly measuring: BotMetricsSetup;
  readonly readiness: Readiness;
}

/** The stores and the event queue: shared through Redis with the other instances, or this process's own. */
async function openStores(building: Building) {
  const { settings, log, cleanup, measuring } = building;
  const { config, tuning } = settings;
  const { metrics } = measuring;
  let shared: SharedState | undefined;
  if (config.redisUrl) {
    // Loaded only with REDIS_URL: one instance does not carry the Redis client (≈ 5 MB).
    const { openSharedState } = await import('./scale/shared-state.js');
    shared = await openSharedState({
      url: config.redisUrl,
      leaseMs: config.redisLeaseMs,
      inDoubtMs: tuning?.governor?.callTimeoutMs,
      token: settings.token,
      apiUrl: config.apiUrl,
      log,
      metrics,
    });
    const opened = shared;
    cleanup.push('the shared state', () => opened.close());
    metrics.watchPipeline(shared.pipeline);
  }
  // Skills' state must survive a restart (a file by default); event claims and refusals are
  // many, small and short-lived (bounded memory by default).
  const stateStore = tuning?.stateStore ?? shared?.stateStore ?? (await FileStore.open(config.stateDir));
  if (!tuning?.stateStore && !shared) cleanup.push('the state store', () => stateStore.close());
  // A STATE_DIR that becomes unwritable (a full disk, a remount) shows in /readyz as condition `state`.
  const stateWatch = watchStoreHealth(stateStore, building.readiness);
  cleanup.push('the state store watch', () => stateWatch.stop());
  const eventStore = tuning?.eventStore ?? shared?.eventStore ?? new MemoryStore();
  const queue: EventQueue = shared?.pipeline ?? (await embeddedQueue(building, eventStore));
  return { shared, stateStore, eventStore, queue };
}

/**
 * The queue of one instance: its events in the event journal in `STATE_DIR` (durable before their
 * 200; those the last process did not finish are taken up), or in memory when tuning says so.
 */
async function embeddedQueue({ settings, log, cleanup, measuring, readiness }: Building, eventStore: KeyValueStore) {
  const { config, tuning } = settings;
  // Webhook mode only: an event from the socket cannot be delivered again, so none is refused.
  const limits = { maxQueued: config.transport === 'websocket' ? Infinity : config.eventQueueLimit };
  if (tuning?.eventJournal === false) {
    return new EventPipeline(log, new EventDeduper(prefixedStore(eventStore, 'dedupe:')), measuring.metrics, limits);
  }
  const { journal, recovered } = await EventJournal.open(config.stateDir, { log });
  cleanup.push('the event journal', () => journal.close());
  if (recovered.pending.length > 0)
    log.info('events taken before the last stop and not finished: handling them first', {
      events: recovered.pending.length,
    });
  const claims = journalClaims(journal, (err) =>
    readiness.fail(
      'journal',
      `the event journal in STATE_DIR cannot be written (${(err as Error).message}); restart the bot`,
    ),
  );
  const recovery = {
    pending: recovered.pending,
    inDoubtMs: tuning?.governor?.callTimeoutMs ?? DEFAULT_GOVERNOR_POLICY.callTimeoutMs,
    maxAttempts: 3,
  };
  return new EventPipeline(log, claims, measuring.metrics, limits, recovery);
}

/** A bind address as a URL host: the loopback address for "every interface". */
function shownHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
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

/**
 * The webhook receiver of webhook mode, with its secret and the URL Webex is to POST to once the
 * port is known: `WEBHOOK_URL`, else the bot's own local address (the built-in emulator's case).
 */
function webhookReceiverFor(
  { settings, log, measuring, readiness }: Building,
  identity: () => BotIdentity | undefined,
) {
  const { config } = settings;
  if (config.transport === 'websocket') return undefined;
  const path = config.webhookUrl ? new URL(config.webhookUrl).pathname : '/webhook';
  const urlFor = (port: number): string => config.webhookUrl ?? `http://127.0.0.1:${port}${path}`;
  const secret = config.webhookSecret ?? randomBytes(20).toString('hex');
  const receiver = createWebhookReceiver({
    path,
    secrets: [secret, ...(config.webhookSecretPrevious ? [config.webhookSecretPrevious] : [])],
    log,
    metrics: measuring.metrics,
    selfTest: () => {
      const bot = identity();
      return {
        bot: bot ? { id: bot.id, email: bot.email, displayName: bot.displayName } : null,
        ready: readiness.ready,
      };
    },
  });
  return { receiver, urlFor, secret };
}

/** Starts the HTTP server (health, readiness, metrics, the webhook route) on `PORT`. */
async function startHttpServer(
  { settings, log, cleanup, measuring, readiness }: Building,
  webhook: WebhookReceiver | undefined,
  notify: NotifyOptions | undefined,
) {
  const { config, tuning } = settings;
  const app = createApp({ webhook, log, readiness, serveMetrics: measuring.onBotServer, notify });
  const requestTimeoutMs = tuning?.requestTimeoutMs ?? 10_000;
  // A client that never finishes its request is cut off (408) without holding anything else up.
  const server = createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, requestTimeoutMs),
    },
    app,
  );
  const port = await listen(server, config.port, config.host);
  cleanup.push('the HTTP server', () => closeServer(server));
  log.info('listening', { host: config.host, port, ...(webhook ? { webhookPath: webhook.path } : {}) });
  const metricsUrl = await measuring.start(config.host, port, log);
  cleanup.push('the metrics server', () => measuring.close());
  return { port, metricsUrl };
}

/** Connects to Webex (registering the webhooks in webhook mode). */
async function connect(
  building: Building,
  webhook: { url: string; secret: string } | undefined,
  shared: SharedState | undefined,
) {
  const { settings, log, readiness, measuring, cleanup } = building;
  const { tuning } = settings;
  const session = await connectToWebex({
    token: settings.token,
    apiUrl: settings.config.apiUrl,
    log,
    webhook: webhook ? { ...webhook, lock: shared?.lock } : undefined,
    socket: tuning?.socket,
    governor: tuning?.governor,
    tokenCooldownMs: tuning?.tokenCooldownMs,
    onTokenChange: (accepted) =>
      accepted ? readiness.pass('token') : readiness.fail('token', 'Webex rejected the bot token (HTTP 401)'),
    startupTimeoutMs: tuning?.startupTimeoutMs,
    maxSpaceObjects: tuning?.maxSpaceObjects,
    metrics: measuring.metrics,
  });
  cleanup.push('the Webex session', () => session.close());
  return session;
}

/** The outbox every message of the bot goes through (replies, proactive sends, jobs, notify), with its ledger. */
function composeOutbox(settings: BotSettings, session: WebexSession) {
  const { bot, api } = session;
  const sentMessages = new SentMessageLedger(
    (id) => api.getMessage(id),
    () => bot.id,
  );
  const outbox = createOutbox({
    webex: {
      create: ({ file, ...message }) =>
        file
          ? api.postFileMessage(
              message,
              new UploadFile(
                file.name,
                file.type,
                file.buffer ? { buffer: file.buffer } : { path: file.path! },
                file.size,
              ),
            )
          : api.postMessage(message),
      edit: (id, roomId, content) => api.editMessage(id, roomId, content),
      remove: (id) => api.deleteMessage(id),
      listRecent: (roomId, max) => api.listMessages(roomId, max),
    },
    ledger: sentMessages,
    rate: new ReplyRateLimiter({ perMinute: settings.config.replyRatePerMinute }),
    botId: () => bot.id,
  });
  return { outbox, sentMessages };
}

/** What one event needs, from the webhook's ids to the reply. */
function composeProcessor(
  settings: BotSettings,
  session: WebexSession,
  eventStore: KeyValueStore,
  routes: () => Routes,
  { outbox, sentMessages }: ReturnType<typeof composeOutbox>,
) {
  const { config, tuning } = settings;
  const { bot, api } = session;
  return createEventProcessor({
    botId: bot.id,
    api,
    dispatch: session.dispatch,
    routes,
    outbox,
    sentMessages,
    guards: {
      access: new AccessPolicy(config.access),
      respondToBots: config.respondToBots,
      refusals: new RefusalNotices(eventStore),
    },
    eventDeadlineMs: tuning?.eventDeadlineMs ?? 30_000,
  });
}

/** Starts taking events: the webhooks watched (the route already serves them), or the event socket opened. */
async function startReceiving(
  building: Building,
  session: WebexSession,
  intake: Intake,
  webhook: WebhookReceiver | undefined,
  stores: { shared: SharedState | undefined; stateStore: KeyValueStore },
): Promise<{ receiver: Receiver; checkWebhooks(): Promise<void> }> {
  const { shared, stateStore } = stores;
  const { settings, log, readiness, cleanup } = building;
  if (webhook) {
    const watchdog = session.watchWebhooks(
      { lastDeliveryAt: () => intake.lastDeliveryAt, isHolder: shared ? () => shared.lock.held() : undefined },
      { intervalMs: settings.config.webhookCheckIntervalMs, quietMs: settings.tuning?.watchdogQuietMs },
    );
    cleanup.push('the webhook watchdog', () => watchdog.stop());
    return { receiver: webhook, checkWebhooks: () => watchdog.check() };
  }
  // One instance (websocket mode is for one): the device is remembered in the state store, and reused.
  // Kept for this Webex and this bot only: another emulator, or another token, has other devices.
  const key = `websocket:device:${settings.config.apiUrl}:${session.bot.id}`;
  const devices = shared
    ? undefined
    : {
        load: () => stateStore.get<string>(key),
        save: (url: string) => stateStore.set(key, url, { ttlMs: 3_600_000 }),
      };
  const receiver = createSocketReceiver((sink, deviceUrl) => session.openEventSocket(sink, deviceUrl), {
    readiness,
    log,
    api: session.api,
    botId: session.bot.id,
    devices,
  });
  await receiver.start(intake);
  cleanup.push('the event socket', () => receiver.stop());
  return { receiver, checkWebhooks: async () => undefined };
}

/** What skills reach of Webex besides replies: members and received files. */
function skillServices(session: WebexSession, maxFileBytes: number): SkillServices {
  return {
    memberPages: (roomId, max, next) => session.api.listMemberships(roomId, max, next),
    files: session.contents,
    maxFileBytes,
  };
}

/** How the queue looks in Webex for a reply already posted (an event taken over, or taken up after a restart). */
function lookForPostedRepliesWith(queue: EventQueue, { api, bot }: WebexSession): void {
  queue.useWebex((message, since, known) =>
    findPostedReply(
      (roomId, max) => api.listMessages(roomId, max),
      bot.id,
      message as never,
      since,
      (id) => known.has(id),
    ),
  );
}

/** Start-up's last line. */
function logReady(log: Logger, session: WebexSession, receiver: Receiver, webhookUrl: string | undefined): void {
  log.info('bot ready', {
    bot: session.bot.email,
    transport: receiver.kind,
    // Log fields: left out rather than undefined (see logging.ts).
    ...(webhookUrl ? { webhookUrl, webhooks: session.webhooks.map((w) => `${w.resource}/${w.event}`) } : {}),
  });
}

/**
 * Starts the bot.
 * @throws {SkillLoadError | CardError | StartupError | StateError} with a message fit for the operator.
 * @example
 * const running = await startBot({ config: loadConfig(process.env), token, log });
 * await running.stop();
 */
export async function startBot(settings: BotSettings): Promise<RunningBot> {
  const { log, config } = settings;
  const { skills, cards } = await loadSkillsAndCards(config.skillsDir, config.cardsDir);
  log.info('skills loaded', { skills: skills.map((s) => s.info.name), cards: cards.ids });
  const cleanup = new CleanupStack((what, err) => log.warn(`could not stop ${what}`, { err }));
  const { readiness, started } = newReadiness(log);
  const building: Building = { settings, log, cleanup, measuring: setUpMetrics(config.metrics), readiness };
  let session: WebexSession | undefined;

  return cleanup.orUnwind(async () => {
    const { shared, stateStore, eventStore, queue } = await openStores(building);
    shared?.watch(readiness);
    building.measuring.metrics.watchReadiness(() => readiness.ready);
    const intake = new Intake(queue, readiness, log, building.measuring.metrics);
    const webhook = webhookReceiverFor(building, () => session?.bot);
    await webhook?.receiver.start(intake);
    const runtime = skillsRuntime(building, stateStore, { skills, cards }, () => session!.bot);
    const { port, metricsUrl } = await startHttpServer(building, webhook?.receiver, runtime.notify);
    const webhookUrl = webhook?.urlFor(port);
    session = await connect(building, webhook && { url: webhookUrl!, secret: webhook.secret }, shared);
    const { bot } = session;
    let routes: Routes = runtime.dispatcher(skillServices(session, config.maxFileBytes));
    const receiving = { checkWebhooks: async (): Promise<void> => undefined };
    lookForPostedRepliesWith(queue, session);
    shared?.connected({ checkWebhooks: () => receiving.checkWebhooks() });
    const outbound = composeOutbox(settings, session);
    intake.start(
      composeProcessor(settings, session, eventStore, () => routes, outbound),
      bot.id,
    );
    runtime.connected(outbound.outbox);
    const { receiver, checkWebhooks } = await startReceiving(building, session, intake, webhook?.receiver, {
      shared,
      stateStore,
    });
    receiving.checkWebhooks = checkWebhooks;
    started();
    logReady(log, session, receiver, webhookUrl);
    await runtime.startJobs();
    const replaceSkills = (next: SkillsAndCards): void => {
      routes = runtime.replace(next);
    };
    const stop = stopper(building, intake, receiver);
    return {
      bot,
      port,
      transport: receiver.kind,
      webhookUrl,
      skills: skills.map((s) => s.info.name),
      pipeline: intake,
      readiness,
      metricsUrl,
      notifyUrl: runtime.notify ? `http://${shownHost(config.host)}:${port}/notify` : undefined,
      checkWebhooks,
      replaceSkills,
      stop,
    };
  });
}

/**
 * The bot's stop: refuse new events, stop the receiver, let the events in flight finish (up to
 * `drainMs`), then stop everything else in reverse order. Once, however often it is called.
 */
function stopper(
  { log, readiness, cleanup }: Building,
  intake: Intake,
  receiver: Receiver,
): (drainMs?: number) => Promise<boolean> {
  let stopping: Promise<boolean> | undefined;
  return (drainMs = 10_000) => {
    stopping ??= (async () => {
      readiness.fail('draining', 'shutting down');
      log.info(
        receiver.kind === 'webhook'
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
  };
}
