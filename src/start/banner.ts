/**
 * What `npm start` prints when it runs against the built-in emulator: where things are and
 * how to talk to the bot.
 */
import type { RunningBot } from '../bot.js';
import type { Emulator } from '../emulator/index.js';

/** Prints the start-up banner for emulator mode to stdout. */
export function printEmulatorBanner({ emulator, bot }: { emulator: Emulator; bot: RunningBot }): void {
  const seed = emulator.seed;
  const lines = [
    '',
    `  ${bot.bot.displayName} is running against the built-in Webex emulator (no token, no internet needed).`,
    '',
    `  Emulator:        ${emulator.url}   (Webex REST API at ${emulator.apiUrl})`,
    `  Bot webhook:     ${bot.webhookUrl}`,
    `  Skills:          ${bot.skills.join(', ')}`,
  ];
  if (seed) {
    lines.push(
      '',
      `  Talk to the bot as ${seed.alice.displayName} in the direct space:`,
      `    curl -s -X POST ${emulator.url}/_emulator/rooms/${seed.directRoom.id}/messages \\`,
      `      -H 'content-type: application/json' -d '{"personId":"${seed.alice.id}","text":"help"}'`,
      `  then read the conversation:`,
      `    curl -s ${emulator.url}/_emulator/rooms/${seed.directRoom.id}/messages`,
    );
  }
  lines.push('', '  Stop with Ctrl+C.', '');
  process.stdout.write(`${lines.join('\n')}\n`);
}
