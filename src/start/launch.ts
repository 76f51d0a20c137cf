/**
 * The steps `npm start` and `npm run dev` share: read the configuration, set the process up
 * (logger, console and warnings through it), start the built-in emulator when there is no
 * token, start the bot, and stop it on SIGTERM/SIGINT. Every failure an operator can fix ends
 * with a one-paragraph message and exit code 1, never a stack trace.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startBot, type BotSettings, type RunningBot } from '../bot.js';
import { loadConfig, readEnvironment, type Config } from '../config.js';
import type { Emulator } from '../emulator/index.js';
import { isBotError } from '../errors.js';
import { routeConsoleToLog } from '../log-console.js';
import { createLogger, type Logger } from '../logging.js';
import { within } from '../util/within.js';
import { onStopSignals } from './stop-signals.js';

/** Prints `message` for the operator and exits 1. */
export function fail(message: string): never {
  process.stderr.write(`\n${message}\n\n`);
  process.exit(1);
}

/** The configuration of the environment (and `.env`), or exit 1 with every problem named. */
export function configOrExit(
  projectRoot: string,
  adjust: (env: Record<string, string | undefined>) => Record<string, string | undefined> = (env) => env,
): Config {
  try {
    return loadConfig(adjust(readEnvironment(path.join(projectRoot, '.env'))), projectRoot);
  } catch (err) {
    if (isBotError(err, 'CONFIG_INVALID'))
      fail(`${err.message}\n\nEvery setting is described in docs/configuration.md.`);
    throw err;
  }
}

/**
 * The process's logger, with the framework's and the SDK's console output, Node's warnings and
 * unhandled rejections routed through it. `secrets` (mutable: add the emulator's) are scrubbed
 * from console lines.
 */
export function processLogger(config: Config): { log: Logger; secrets: string[] } {
  const log = createLogger({ level: config.logLevel, format: config.logFormat });
  const redisPassword = config.redisUrl
    ? decodeURIComponent(new URL(config.redisUrl).password) || undefined
    : undefined;
  const secrets = [
    config.botToken,
    config.webhookSecret,
    config.webhookSecretPrevious,
    redisPassword,
    config.assistantApiKey,
  ].filter((s): s is string => s !== undefined);
  routeConsoleToLog(log, secrets);
  process.on('warning', (warning) => log.warn('Node.js warning', { name: warning.name, warning: warning.message }));
  process.on('unhandledRejection', (reason) =>
    log.error('unhandled promise rejection (kept running)', { err: reason }),
  );
  return { log, secrets };
}

/** Starts the built-in emulator (with the playground) on `EMULATOR_PORT`, or exits 1 naming the busy port. */
export async function startEmulatorOrExit(config: Config, command: string): Promise<Emulator> {
  // The SDK's HTTP client honours HTTP_PROXY; the emulator is local and must never go through one.
  process.env['NO_PROXY'] = [process.env['NO_PROXY'], '127.0.0.1', 'localhost'].filter(Boolean).join(',');
  const log = createLogger({
    level: config.logLevel === 'debug' ? 'debug' : 'warn',
    format: config.logFormat,
    defaultMeta: { component: 'emulator' },
  });
  const { startEmulator } = await import('../emulator/index.js');
  try {
    return await startEmulator({ port: config.emulatorPort, logger: log, playground: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      fail(
        `Port ${config.emulatorPort} is in use, so the built-in Webex emulator cannot start. Set EMULATOR_PORT to a free port (e.g. EMULATOR_PORT=4100 ${command}).`,
      );
    }
    throw err;
  }
}

/**
 * The bot settings `config` describes, against `emulator` when there is one: then the emulator's
 * API URL and token, (webhook mode) a random secret unless `WEBHOOK_SECRET` is set, and a random
 * `NOTIFY_TOKEN` unless one is set.
 */
export function botSettings(config: Config, log: Logger, emulator: Emulator | undefined): BotSettings {
  if (!emulator) return { config, token: config.botToken!, log };
  const webhookSecret =
    config.transport === 'websocket' ? undefined : (config.webhookSecret ?? randomBytes(20).toString('hex'));
  // Against the emulator POST /notify is on, with a made-up token the banner and the playground show.
  const notifyToken = config.notifyToken ?? randomBytes(20).toString('hex');
  return { config: { ...config, apiUrl: emulator.apiUrl, webhookSecret, notifyToken }, token: emulator.botToken, log };
}

/** Starts the bot, or stops the emulator and exits 1 with the reason. */
export async function startBotOrExit(
  settings: BotSettings,
  config: Config,
  emulator: Emulator | undefined,
  command: string,
): Promise<RunningBot> {
  try {
    return await startBot(settings);
  } catch (err) {
    await emulator?.stop();
    if (isBotError(err)) fail(`Could not start the bot: ${err.message}`);
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      fail(`Port ${config.port} is in use. Set PORT to a free port (e.g. PORT=3100 ${command}).`);
    throw err;
  }
}

/**
 * What a stop signal stops, filled in as start-up goes: the handlers are in place before the
 * bot starts, so that a SIGTERM while it is still starting (systemd stopping it, a Ctrl+C) is a
 * clean stop too, never Node's default of dying on the spot.
 */
export interface StopTargets {
  emulator?: Emulator;
  /** The bot, or its start while under way. */
  bot?: Promise<RunningBot>;
  /** Runs first (e.g. closing a file watcher). */
  before?: () => void;
}

/**
 * On SIGTERM/SIGINT: `before()`, then drain the bot (up to `SHUTDOWN_TIMEOUT`), stop the
 * emulator, exit 0 (1 if events in flight were abandoned). A signal during start-up lets the
 * start finish (within the same timeout) and then stops the same way. See `stop-signals.ts` for
 * repeats.
 */
export function stopOnSignals(targets: StopTargets, config: Config, log: Logger): void {
  onStopSignals({
    log,
    stop: async (signal) => {
      targets.before?.();
      if (!targets.bot) {
        log.info('stopping before the bot started', { signal });
        await targets.emulator?.stop();
        return true;
      }
      let bot = await within(targets.bot, 0);
      if (!bot) {
        log.info('stop asked while the bot is starting: it stops once started', {
          signal,
          timeoutMs: config.shutdownTimeoutMs,
        });
        bot = await within(targets.bot, config.shutdownTimeoutMs);
        if (!bot) {
          log.warn('the bot did not finish starting within SHUTDOWN_TIMEOUT: exiting without it', {
            timeoutMs: config.shutdownTimeoutMs,
          });
          await targets.emulator?.stop();
          return false;
        }
      }
      log.info('stopping', { signal, inFlight: bot.pipeline.inFlight, timeoutMs: config.shutdownTimeoutMs });
      const drained = await bot.stop(config.shutdownTimeoutMs);
      await targets.emulator?.stop();
      return drained;
    },
  });
}

/**
 * Against the emulator: tells it (for the playground) where the bot's `POST /notify` is and its
 * token, and returns them for the banner.
 */
export function showNotify(
  emulator: Emulator,
  bot: RunningBot,
  settings: BotSettings,
): { url: string; token: string } | undefined {
  const token = settings.config.notifyToken;
  const notify = bot.notifyUrl && token ? { url: bot.notifyUrl, token } : undefined;
  emulator.showNotify(notify);
  return notify;
}
