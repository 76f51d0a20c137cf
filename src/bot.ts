/**
 * Assembling the bot: skills → cards → HTTP server → Webex connection → ready.
 *
 * The server listens before the connection starts, so the webhook URL is reachable when the
 * webhooks are registered; events arriving before the connection is ready are accepted and wait
 * in the pipeline (nothing is dropped at start-up).
 */
import { createServer, type Server } from 'node:http';
import { EventPipeline } from './events/pipeline.js';
import type { Logger } from './logging.js';
import { listen } from './util/listen.js';
import { createDispatcher } from './routing/dispatcher.js';
import { createApp, type Readiness } from './server/app.js';
import { loadSkillsAndCards, type SkillsAndCards } from './routing/load-skills-and-cards.js';
import { FileStore } from './store/file-store.js';
import type { KeyValueStore } from './store/types.js';
import { connectToWebex, type BotIdentity, type WebexConnection } from './webex/connection.js';

/** Everything {@link startBot} needs, already validated. */
export interface BotSettings {
  readonly token: string;
  readonly apiUrl: string;
  /** The public webhook URL, or a function of the port actually bound (for PORT=0 set-ups). */
  readonly webhookUrl: string | ((port: number) => string);
  readonly webhookSecret: string;
  readonly port: number;
  readonly host: string;
  readonly skillsDir: string;
  readonly cardsDir: string;
  /** Folder of the file-backed state store (`STATE_DIR`, default `data/`); unused when `store` is given. */
  readonly stateDir?: string;
  /** The store for skills' state (the caller keeps it open and closes it); default: a file store in `stateDir`. */
  readonly store?: KeyValueStore;
  readonly log: Logger;
  readonly startupTimeoutMs?: number;
  /** Deadline for the Webex side of one event (see `ConnectOptions.eventDeadlineMs`). */
  readonly eventDeadlineMs?: number;
}

/** A running bot. */
export interface RunningBot {
  readonly bot: BotIdentity;
  /** The port the HTTP server listens on. */
  readonly port: number;
  readonly webhookUrl: string;
  readonly skills: readonly string[];
  readonly pipeline: EventPipeline;
  /** Serves `next` (freshly loaded and checked skills and cards) from the next event on. */
  replaceSkills(next: SkillsAndCards): void;
  /** Stops taking events, lets the ones in flight finish (up to `drainMs`), and disconnects. */
  stop(drainMs?: number): Promise<void>;
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
  const store = settings.store ?? (await FileStore.open(settings.stateDir ?? 'data'));
  const closeStore = async (): Promise<void> => { if (!settings.store) await store.close(); };
  log.info('skills loaded', { skills: skills.map((s) => s.info.name), cards: cards.ids });

  let readiness: Readiness = 'starting';
  const pipeline = new EventPipeline(log);
  const webhookPath = (url: string): string => new URL(url).pathname;
  // With a function URL the path is the same whatever the port: compute it from a placeholder.
  const path = webhookPath(typeof settings.webhookUrl === 'string' ? settings.webhookUrl : settings.webhookUrl(1));
  const app = createApp({
    webhookPath: path,
    secret: settings.webhookSecret,
    accept: (envelope) => pipeline.accept(envelope),
    log,
    readiness: () => readiness,
  });
  const httpServer = createServer(app);
  const port = await listen(httpServer, settings.port, settings.host).catch(async (err: unknown) => { await closeStore(); throw err; });
  const webhookUrl = typeof settings.webhookUrl === 'string' ? settings.webhookUrl : settings.webhookUrl(port);
  log.info('listening', { host: settings.host, port, webhookPath: path });

  let connection: WebexConnection;
  let dispatcherBot: BotIdentity | undefined;
  const botIdentity = (): BotIdentity => {
    if (!dispatcherBot) throw new Error('bot identity not known yet');
    return dispatcherBot;
  };
  let dispatcher = createDispatcher({ skills, cards, store, bot: botIdentity });
  try {
    connection = await connectToWebex({
      token: settings.token,
      apiUrl: settings.apiUrl,
      webhookUrl,
      webhookSecret: settings.webhookSecret,
      log,
      handlers: { message: (m, scope) => dispatcher.handleMessage(m, scope), submission: (sub, scope) => dispatcher.handleSubmission(sub, scope) },
      ...(settings.startupTimeoutMs !== undefined ? { startupTimeoutMs: settings.startupTimeoutMs } : {}),
      ...(settings.eventDeadlineMs !== undefined ? { eventDeadlineMs: settings.eventDeadlineMs } : {}),
    });
    dispatcherBot = connection.bot;
  } catch (err) {
    await closeServer(httpServer);
    await closeStore();
    throw err;
  }
  pipeline.setHandler(connection.handle);
  readiness = 'ready';
  log.info('bot ready', { bot: connection.bot.email, webhookUrl, webhooks: connection.webhooks.map((w) => `${w.resource}/${w.event}`) });

  let stopping: Promise<void> | undefined;
  return {
    bot: connection.bot,
    port,
    webhookUrl,
    skills: skills.map((s) => s.info.name),
    pipeline,
    replaceSkills(next) {
      dispatcher = createDispatcher({ skills: next.skills, cards: next.cards, store, bot: botIdentity });
    },
    stop(drainMs = 10_000) {
      stopping ??= (async () => {
        readiness = 'stopping';
        const closed = closeServer(httpServer);
        const drained = await pipeline.drain(drainMs);
        if (!drained) log.warn('stopping with events still in flight', { inFlight: pipeline.inFlight });
        await connection.close();
        await closeStore();
        httpServer.closeAllConnections();
        await closed;
        log.info('bot stopped');
      })();
      return stopping;
    },
  };
}
