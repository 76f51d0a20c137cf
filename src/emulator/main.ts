/**
 * `npm run emulator`: the emulator on its own, seeded, on 127.0.0.1:`EMULATOR_PORT` (default 4000).
 * It prints where it listens and the bot token it accepts as `KEY=value` lines that other
 * processes (the bot, end-to-end tests) can read, and stops cleanly on SIGTERM or SIGINT.
 */
import { createLogger } from '../logging.js';
import { startEmulator } from './emulator.js';
import { ConfigError, readStandaloneConfig, type StandaloneConfig } from './env.js';
import { isRealFormatToken } from './ids.js';
import type { Emulator } from './types.js';

function describe(emulator: Emulator): string[] {
  const state = emulator.state();
  const name = (id: string): string => state.people.find((p) => p.id === id)?.displayName ?? id;
  const lines = [
    `Webex emulator listening on ${emulator.url}`,
    `WEBEX_API_URL=${emulator.apiUrl}`,
    `WEBEX_BOT_TOKEN=${emulator.botToken}`,
    `Bot: ${emulator.bot.displayName} <${emulator.bot.emails[0] ?? ''}> id=${emulator.bot.id}`,
  ];
  if (emulator.seed) {
    const { alice, bob } = emulator.seed;
    lines.push('People (each can call the REST API with their token):');
    for (const p of [alice, bob]) lines.push(`  ${p.displayName} <${p.emails[0] ?? ''}> id=${p.id} token=${p.token}`);
  }
  lines.push('Spaces:');
  for (const r of state.rooms)
    lines.push(
      `  ${r.type.padEnd(6)} ${r.type === 'group' ? `"${r.title}" ` : ''}(${r.memberIds.map(name).join(', ')}) id=${r.id}`,
    );
  lines.push(`Control API: ${emulator.url}/_emulator/state`);
  lines.push(`Chat playground: ${emulator.url}/`);
  return lines;
}

async function main(): Promise<void> {
  let config: StandaloneConfig;
  try {
    config = readStandaloneConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`webex emulator: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel, defaultMeta: { component: 'emulator' } });
  if (config.botToken && !isRealFormatToken(config.botToken)) {
    process.stderr.write(
      "webex emulator: note: WEBEX_BOT_TOKEN is not in Webex's format (<random>_<cluster>_<org uuid>); the webex SDK will warn that the token is not a valid format.\n",
    );
  }
  let emulator: Emulator;
  try {
    emulator = await startEmulator({
      port: config.port,
      logger,
      playground: true,
      allowedHosts: config.allowedHosts,
      botToken: config.botToken,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'EADDRINUSE' ? 'the port is already in use' : e.code === 'EACCES' ? 'permission denied' : e.message;
    process.stderr.write(`webex emulator: cannot listen on 127.0.0.1:${config.port}: ${why}\n`);
    process.exit(1);
  }
  process.stdout.write(`${describe(emulator).join('\n')}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    // Exit even if something unexpected were to keep the event loop alive.
    setTimeout(() => process.exit(0), 5000).unref();
    emulator.stop().then(
      () => {
        process.exitCode = 0;
      },
      (err: unknown) => {
        logger.error('emulator did not stop cleanly', { err });
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
