/**
 * `npm run dev`: what `npm start` does without a token (the built-in emulator, its chat
 * playground, the bot), plus reloading: an edit to a skill or card file is loaded, checked and
 * served without a restart; a broken edit is reported and the previous version keeps serving.
 * Always against the emulator (a token in the environment is ignored), on the same
 * configuration as `npm start` otherwise (PORT, EMULATOR_PORT, SKILLS_DIR, CARDS_DIR,
 * STATE_DIR, LOG_LEVEL).
 */
import path from 'node:path';
import { writeCardTypes } from '../cards/card-types.js';
import { printEmulatorBanner } from '../start/banner.js';
import {
  botSettings,
  showNotify,
  configOrExit,
  processLogger,
  startBotOrExit,
  startEmulatorOrExit,
  stopOnSignals,
  type StopTargets,
} from '../start/launch.js';
import { projectLayout } from '../start/layout.js';
import { playgroundUrl } from '../start/banner.js';
import { DEV_FILE, writeDevFile } from './dev-file.js';
import { watchSkillsAndCards } from './reloader.js';

// The project in the working directory: this repository, or a user's bot project.
const projectRoot = projectLayout(import.meta.url, 1).root;

async function main(): Promise<void> {
  // Development runs against the emulator only: no token, no public webhook.
  const config = configOrExit(projectRoot, (env) => ({
    ...env,
    WEBEX_BOT_TOKEN: undefined,
    WEBHOOK_URL: undefined,
    WEBHOOK_SECRET: undefined,
    WEBHOOK_SECRET_PREVIOUS: undefined,
  }));
  const { log, secrets } = processLogger(config);
  const stopTargets: StopTargets = {};
  stopOnSignals(stopTargets, config, log);
  const emulator = await startEmulatorOrExit(config, 'npm run dev');
  stopTargets.emulator = emulator;
  const settings = botSettings(config, log, emulator);
  secrets.push(settings.token, ...(settings.config.webhookSecret ? [settings.config.webhookSecret] : []));
  const starting = startBotOrExit(settings, config, emulator, 'npm run dev');
  stopTargets.bot = starting;
  const bot = await starting;
  printEmulatorBanner({ emulator, bot, notify: showNotify(emulator, bot, settings) });
  writeCardTypes(config.cardsDir);
  const reloader = watchSkillsAndCards({
    skillsDir: config.skillsDir,
    cardsDir: config.cardsDir,
    log,
    apply: (next) => {
      bot.replaceSkills(next);
      writeCardTypes(config.cardsDir);
    },
  });
  // Where this bot runs, for `npm run doctor` (and any tool pointed at the emulator).
  const removeDevFile = writeDevFile(projectRoot, {
    pid: process.pid,
    playground: playgroundUrl(emulator.url),
    apiUrl: emulator.apiUrl,
    token: settings.token,
    transport: config.transport,
    webhookUrl: bot.webhookUrl,
    webhookSecret: settings.config.webhookSecret,
  });
  stopTargets.before = () => {
    reloader.close();
    removeDevFile();
  };
  process.stdout.write(
    [
      `  ↻ Watching ${path.relative(process.cwd(), config.skillsDir) || '.'}/ and ${path.relative(process.cwd(), config.cardsDir) || '.'}/: edits are served without a restart.`,
      `  Token:         ${settings.token}   (the emulator's: WEBEX_API_URL=${emulator.apiUrl} WEBEX_BOT_TOKEN=<it> for other tools)`,
      `  npm run doctor checks this bot while it runs (${DEV_FILE} says where it is).`,
      '',
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`\nUnexpected error while starting: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
