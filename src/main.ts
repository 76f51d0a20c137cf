/**
 * `npm start`: configuration → logger → (built-in emulator when no token) → bot → ready, with
 * events over webhooks or Webex's event socket (`WEBEX_TRANSPORT`; the emulator serves both).
 *
 * Every start-up failure an operator can fix (bad configuration, a broken skill or card file,
 * a rejected token, webhooks that cannot be registered) ends with a one-paragraph message and
 * exit code 1, never a stack trace. A stop (SIGTERM, SIGINT) drains the events in flight and
 * exits 0; see `src/start/stop-signals.ts` for how repeated signals are read.
 */
import type { Emulator } from './emulator/index.js';
import { emulatorBannerFields, printEmulatorBanner } from './start/banner.js';
import {
  botSettings,
  showNotify,
  configOrExit,
  processLogger,
  startBotOrExit,
  startEmulatorOrExit,
  stopOnSignals,
  type StopTargets,
} from './start/launch.js';
import { projectLayout } from './start/layout.js';

// `npm start` runs the compiled copy (dist/src/main.js), which loads the compiled skills.
const layout = projectLayout(import.meta.url);

async function main(): Promise<void> {
  const config = configOrExit(layout.root, (env) =>
    layout.compiled && !env['SKILLS_DIR']?.trim() ? { ...env, SKILLS_DIR: layout.skillsDir } : env,
  );
  const { log, secrets } = processLogger(config);

  // From here on a stop signal is a clean stop, also while starting.
  const stopTargets: StopTargets = {};
  stopOnSignals(stopTargets, config, log);

  let emulator: Emulator | undefined;
  if (config.mode === 'emulator') {
    emulator = await startEmulatorOrExit(config, 'npm start');
    stopTargets.emulator = emulator;
  }
  const settings = botSettings(config, log, emulator);
  if (emulator) secrets.push(settings.token, ...(settings.config.webhookSecret ? [settings.config.webhookSecret] : []));
  if (config.transport === 'websocket' && config.webhookUrl)
    log.warn('WEBHOOK_URL is not used: WEBEX_TRANSPORT=websocket (events arrive over the event socket)');

  const starting = startBotOrExit(settings, config, emulator, 'npm start');
  stopTargets.bot = starting;
  const bot = await starting;
  if (emulator) {
    const notify = showNotify(emulator, bot, settings);
    // Production logs are JSON lines only: the banner becomes one.
    if (config.logFormat === 'json')
      log.info('running against the built-in Webex emulator', emulatorBannerFields({ emulator, bot }));
    else printEmulatorBanner({ emulator, bot, notify });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`\nUnexpected error while starting: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
