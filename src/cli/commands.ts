/**
 * The commands of `webex-skill-bot <command>`: what `npm run` offers in this repository, for a
 * bot project that depends on the package. One line per command; each runs a module of the
 * toolkit (under `src/`, compiled to `dist/src/`) that reads its own arguments.
 */

/** One command: what it does, and the module that runs it. */
export interface CliCommand {
  /** One line for `webex-skill-bot --help`. */
  readonly summary: string;
  /** The module, relative to `src/` and without extension (e.g. `dev/main`). */
  readonly module: string;
  /** Whether the module routes Node's warnings through its own logger (then Node does not print them raw). */
  readonly logsWarnings?: boolean;
}

/** Every command, in the order `--help` lists them. */
export const COMMANDS: Readonly<Record<string, CliCommand>> = {
  init: { summary: 'init <folder>: write a new bot project (a skill, its card and its test)', module: 'tools/init' },
  start: {
    summary: 'build the skills, then run the bot (no token: against the built-in emulator and its playground)',
    module: 'cli/start',
    logsWarnings: true,
  },
  dev: {
    summary: 'run against the emulator, reloading skills and cards on every edit',
    module: 'dev/main',
    logsWarnings: true,
  },
  test: { summary: 'type-check, then run the tests; test <files...>: run only those files', module: 'tools/run-tests' },
  build: { summary: 'compile the skills to dist/ (start does it first)', module: 'tools/build' },
  doctor: {
    summary: "why doesn't my bot answer? checks the token, webhooks, secret, clock...",
    module: 'doctor/main',
    logsWarnings: true,
  },
  'new-skill': { summary: 'new-skill <name>: write a skill, its card and its test', module: 'tools/new-skill' },
  'cards:check': {
    summary: 'check every card as Webex takes it, and regenerate cards/cards.d.ts',
    module: 'tools/cards-check',
  },
  emulator: { summary: 'the Webex emulator on its own (EMULATOR_PORT, default 4000)', module: 'emulator/main' },
  notify: {
    summary: 'notify --to <who> --text <text>: send a message through a running bot (POST /notify)',
    module: 'tools/notify',
  },
};
