/**
 * What `npm start` prints when it runs against the built-in emulator: first the chat
 * playground's address (where a newcomer talks to the bot), then where everything else runs.
 */
import type { RunningBot } from '../bot.js';
import type { Emulator } from '../emulator/index.js';

/** What the banner needs from the running emulator and bot. */
export interface BannerInput {
  emulator: Pick<Emulator, 'url' | 'apiUrl' | 'seed'>;
  bot: Pick<RunningBot, 'webhookUrl' | 'skills'> &
    Partial<Pick<RunningBot, 'transport' | 'notifyUrl'>> & { bot: { displayName: string } };
  /** Make the playground line bold (for a terminal). */
  bold?: boolean;
  /** The bot's `POST /notify` and its token, for a ready curl line. */
  notify?: { url: string; token: string } | undefined;
}

/**
 * The chat playground's address, on `localhost` and the emulator's port.
 *
 * @example
 * playgroundUrl('http://127.0.0.1:4000') // → 'http://localhost:4000/'
 */
export function playgroundUrl(emulatorUrl: string): string {
  return `http://localhost:${new URL(emulatorUrl).port}/`;
}

/** How events reach the bot, in one line (webhooks are the default; the socket is one variable away). */
export function transportLine(bot: BannerInput['bot']): string {
  if (bot.transport === 'websocket')
    return "over the emulator's event socket (websocket mode: no webhooks, no public URL)";
  return `webhooks to ${bot.webhookUrl ?? '?'}   (WEBEX_TRANSPORT=websocket npm start: over the event socket)`;
}

/** The banner's lines. */
export function formatEmulatorBanner({ emulator, bot, bold = false, notify }: BannerInput): string[] {
  const open = `Open the chat playground:  ${playgroundUrl(emulator.url)}`;
  const lines = [
    '',
    `  ${bot.bot.displayName} is running against the built-in Webex emulator (no token, no internet needed).`,
    '',
    `  ▶ ${bold ? `\u001b[1m${open}\u001b[22m` : open}`,
    '',
    `  Emulator:      ${emulator.url}   (Webex REST API at ${emulator.apiUrl})`,
    `  Events:        ${transportLine(bot)}`,
    `  Skills:        ${bot.skills.join(', ')}`,
  ];
  const seed = emulator.seed;
  if (seed) {
    lines.push(
      '',
      `  Or script it with the control API (docs/emulator.md), e.g. as ${seed.alice.displayName}:`,
      `    curl -s -X POST ${emulator.url}/_emulator/rooms/${seed.directRoom.id}/messages \\`,
      `      -H 'content-type: application/json' -d '{"personId":"${seed.alice.id}","text":"help"}'`,
    );
  }
  if (notify && seed) {
    lines.push(
      '',
      '  Or send a message through the bot, as CI would (POST /notify; docs/operations.md):',
      `    curl -s -X POST ${notify.url} -H 'Authorization: Bearer ${notify.token}' \\`,
      `      -H 'content-type: application/json' -d '{"toPersonEmail":"${seed.alice.emails[0]}","markdown":"Build **green**"}'`,
    );
  }
  lines.push('', '  Stop with Ctrl+C.', '');
  return lines;
}

/** What the banner says, as log fields (for JSON logs, where a banner would not be a JSON line). */
export function emulatorBannerFields({
  emulator,
  bot,
}: Pick<BannerInput, 'emulator' | 'bot'>): Record<string, unknown> {
  return {
    playground: playgroundUrl(emulator.url),
    emulator: emulator.url,
    apiUrl: emulator.apiUrl,
    transport: bot.transport ?? 'webhook',
    ...(bot.webhookUrl ? { webhookUrl: bot.webhookUrl } : {}),
    ...(bot.notifyUrl ? { notifyUrl: bot.notifyUrl } : {}),
    skills: bot.skills,
    ...(emulator.seed
      ? {
          directRoomId: emulator.seed.directRoom.id,
          groupRoomId: emulator.seed.groupRoom.id,
          aliceId: emulator.seed.alice.id,
        }
      : {}),
  };
}

/** Prints the start-up banner for emulator mode to stdout. */
export function printEmulatorBanner({
  emulator,
  bot,
  notify,
}: {
  emulator: Emulator;
  bot: RunningBot;
  notify?: BannerInput['notify'];
}): void {
  const bold = process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined;
  process.stdout.write(`${formatEmulatorBanner({ emulator, bot, bold, notify }).join('\n')}\n`);
}
