#!/usr/bin/env node
/**
 * `webex-skill-bot <command> [arguments]`: the toolkit's commands, run in a bot project's folder
 * (see `commands.ts`). Each command runs in this process, so that a stop signal reaches the bot
 * itself. `--help` lists the commands; `--version` prints the toolkit's version.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from './commands.js';

const own = new URL(import.meta.url);
/** `.js` when compiled, `.ts` under tsx. */
const extension = own.pathname.endsWith('.ts') ? '.ts' : '.js';

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'Usage: webex-skill-bot <command> [arguments]   (run in your bot project, e.g. through npm run)',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Start a project: npx webex-skill-bot init my-bot && cd my-bot && npm install && npm start',
  ].join('\n');
}

function version(): string {
  const pkg = new URL(extension === '.ts' ? '../../package.json' : '../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version()}\n`);
    return;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`webex-skill-bot: there is no command "${name}"\n\n${usage()}\n`);
    process.exit(1);
  }
  const script = new URL(`../${command.module}${extension}`, import.meta.url);
  // The command reads its arguments as if run on its own: `node <its module> [arguments]`.
  process.argv = [process.argv[0]!, fileURLToPath(script), ...args];
  process.setSourceMapsEnabled(true);
  // Its logger reports Node's warnings; Node printing them too would put raw lines in a JSON log.
  if (command.logsWarnings) process.removeAllListeners('warning');
  await import(script.href);
}

await main();
