/**
 * `npm start`: configuration → logger → (built-in emulator when no token) → bot → ready, with
 * events over webhooks or Webex's event socket (`WEBEX_TRANSPORT`; the emulator serves both).
 *
 * Every start-up failure an operator can fix (bad configuration, a broken skill or card file,
 * a rejected token, webhooks that cannot be registered) ends with a one-paragraph message and
 * exit code 1, never a stack trace. A stop (SIGTERM, SIGINT) drains the events in flight and
 * exits 0; see `src/start/stop-signals.ts` for how repeated signals are read.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBot, type BotSettings, type RunningBot } from './bot.js';
import { loadConfig, readEnvironment, type Config } from './config.js';
import { BotError, ConfigError } from './errors.js';
import { routeConsoleToLog } from './log-console.js';
import { createLogger, type Logger } from './logging.js';
import { emulatorBannerFields, printEmulatorBanner } from './start/banner.js';
import { onStopSignals } from './start/stop-signals.js';
import type { Emulator } from './emulator/index.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function fail(message: string): never {
  process.stderr.write(`\n${message}\n\n`);
  process.exit(1);
}

async function startEmulatorFor(config: Config, log: Logger): Promise<Emulator> {
  const { startEmulator } = await import('./emulator/index.js');
  try {
    return await startEmulator({ port: config.emulatorPort, logger: log, playground: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      fail(`Port ${config.emulatorPort} is in use, so the built-in Webex emulator cannot start. Set EMULATOR_PORT to a free port (e.g. EMULATOR_PORT=4100 npm start).`);
    }
    throw err;
  }
}

/** The bot settings `config` describes, against `emulator` when there is one. */
function botSettings(config: Config, log: Logger, emulator: Emulator | undefined): BotSettings {
  const common = {
    token: emulator ? emulator.botToken : config.botToken!,
    apiUrl: emulator ? emulator.apiUrl : config.apiUrl,
    port: config.port,
    host: config.host,
    skillsDir: config.skillsDir,
    cardsDir: config.cardsDir,
    stateDir: config.stateDir,
    log,
    access: config.access,
    respondToBots: config.respondToBots,
    replyRatePerMinute: config.replyRatePerMinute,
    watchdog: { intervalMs: config.webhookCheckIntervalMs },
    ...(config.metrics ? { metrics: config.metrics } : {}),
  };
  if (config.transport === 'websocket') return { ...common, transport: 'websocket' };
  const webhook = { webhookSecretPrevious: config.webhookSecretPrevious };
  if (emulator) {
    return {
      ...common,
      ...webhook,
      webhookUrl: config.webhookUrl ?? ((port: number) => `http://127.0.0.1:${port}/webhook`),
      webhookSecret: config.webhookSecret ?? randomBytes(20).toString('hex'),
    };
  }
  return { ...common, ...webhook, webhookUrl: config.webhookUrl!, webhookSecret: config.webhookSecret! };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(readEnvironment(path.join(projectRoot, '.env')), projectRoot);
  } catch (err) {
    if (err instanceof ConfigError) fail(`${err.message}\n\nSee "Configuration" in README.md.`);
    throw err;
  }
  const log = createLogger({ level: config.logLevel, format: config.logFormat });
  const secrets = [config.botToken, config.webhookSecret, config.webhookSecretPrevious].filter((s): s is string => s !== undefined);
  routeConsoleToLog(log, secrets);
  process.on('warning', (warning) => log.warn('Node.js warning', { name: warning.name, warning: warning.message }));
  process.on('unhandledRejection', (reason) => {
    log.error('unhandled promise rejection (kept running)', { err: reason });
  });

  let emulator: Emulator | undefined;
  if (config.mode === 'emulator') {
    // The SDK's HTTP client honours HTTP_PROXY; the emulator is local and must never go through one.
    process.env['NO_PROXY'] = [process.env['NO_PROXY'], '127.0.0.1', 'localhost'].filter(Boolean).join(',');
    const emulatorLog = createLogger({ level: config.logLevel === 'debug' ? 'debug' : 'warn', format: config.logFormat, defaultMeta: { component: 'emulator' } });
    emulator = await startEmulatorFor(config, emulatorLog);
  }
  const settings = botSettings(config, log, emulator);
  if (emulator) secrets.push(settings.token, ...(settings.transport === 'websocket' ? [] : [settings.webhookSecret]));
  if (config.transport === 'websocket' && config.webhookUrl) log.warn('WEBHOOK_URL is not used: WEBEX_TRANSPORT=websocket (events arrive over the event socket)');

  let bot: RunningBot;
  try {
    bot = await startBot(settings);
  } catch (err) {
    await emulator?.stop();
    if (err instanceof BotError) fail(`Could not start the bot: ${err.message}`);
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      fail(`Port ${config.port} is in use. Set PORT to a free port (e.g. PORT=3100 npm start).`);
    }
    throw err;
  }

  if (emulator) {
    // Production logs are JSON lines only: the banner becomes one.
    if (config.logFormat === 'json') log.info('running against the built-in Webex emulator', emulatorBannerFields({ emulator, bot }));
    else printEmulatorBanner({ emulator, bot });
  }

  onStopSignals({
    log,
    stop: async (signal) => {
      log.info('stopping', { signal, inFlight: bot.pipeline.inFlight, timeoutMs: config.shutdownTimeoutMs });
      const drained = await bot.stop(config.shutdownTimeoutMs);
      await emulator?.stop();
      return drained;
    },
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`\nUnexpected error while starting: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
