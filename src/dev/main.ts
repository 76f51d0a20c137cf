/**
 * `npm run dev`: what `npm start` does without a token (the built-in emulator, its chat
 * playground, the bot), plus reloading: an edit to a skill or card file is loaded, checked and
 * served without a restart; a broken edit is reported and the previous version keeps serving.
 * Always against the emulator (a token in the environment is ignored), on the same
 * configuration as `npm start` otherwise (PORT, EMULATOR_PORT, SKILLS_DIR, CARDS_DIR,
 * STATE_DIR, LOG_LEVEL).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBot, type RunningBot } from '../bot.js';
import { loadConfig, readEnvironment, type Config } from '../config.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { BotError, ConfigError } from '../errors.js';
import { createLogger } from '../logging.js';
import { printEmulatorBanner } from '../start/banner.js';
import { watchSkillsAndCards } from './reloader.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function fail(message: string): never {
  process.stderr.write(`\n${message}\n\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    const env = readEnvironment(path.join(projectRoot, '.env'));
    // Development runs against the emulator only: no token, no public webhook.
    config = loadConfig({ ...env, WEBEX_BOT_TOKEN: undefined, WEBHOOK_URL: undefined, WEBHOOK_SECRET: undefined }, projectRoot);
  } catch (err) {
    if (err instanceof ConfigError) fail(`${err.message}\n\nSee "Configuration" in README.md.`);
    throw err;
  }
  const log = createLogger({ level: config.logLevel, format: config.logFormat });
  process.on('unhandledRejection', (reason) => log.error('unhandled promise rejection (kept running)', { err: reason }));
  process.env['NO_PROXY'] = [process.env['NO_PROXY'], '127.0.0.1', 'localhost'].filter(Boolean).join(',');

  let emulator: Emulator;
  try {
    emulator = await startEmulator({ port: config.emulatorPort, logger: createLogger({ level: 'warn', format: config.logFormat, defaultMeta: { component: 'emulator' } }), playground: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') fail(`Port ${config.emulatorPort} is in use. Set EMULATOR_PORT to a free port (e.g. EMULATOR_PORT=4100 npm run dev).`);
    throw err;
  }
  let bot: RunningBot;
  try {
    bot = await startBot({
      token: emulator.botToken,
      apiUrl: emulator.apiUrl,
      webhookUrl: (port) => `http://127.0.0.1:${port}/webhook`,
      webhookSecret: randomBytes(20).toString('hex'),
      port: config.port,
      host: config.host,
      skillsDir: config.skillsDir,
      cardsDir: config.cardsDir,
      stateDir: config.stateDir,
      log,
    });
  } catch (err) {
    await emulator.stop();
    if (err instanceof BotError) fail(`Could not start the bot: ${err.message}`);
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') fail(`Port ${config.port} is in use. Set PORT to a free port (e.g. PORT=3100 npm run dev).`);
    throw err;
  }
  printEmulatorBanner({ emulator, bot });
  const reloader = watchSkillsAndCards({ skillsDir: config.skillsDir, cardsDir: config.cardsDir, log, apply: (next) => bot.replaceSkills(next) });
  process.stdout.write(`  ↻ Watching ${path.relative(process.cwd(), config.skillsDir) || '.'}/ and ${path.relative(process.cwd(), config.cardsDir) || '.'}/: edits are served without a restart.\n\n`);

  let stopping = false;
  const shutdown = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    reloader.close();
    void bot.stop().then(() => emulator.stop()).then(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`\nUnexpected error while starting: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
