/**
 * Where `npm run dev` runs, written down for other tools: `.webex-skill-bot/dev.json` in the
 * project (git-ignored), with the emulator's address and the bot's token, webhook URL and secret
 * — the emulator's own, local values. `npm run doctor` with no token reads it and checks that
 * bot rather than one of its own. The file goes when dev stops; one left by a dev that was killed
 * names a process that no longer runs, and is ignored.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isRecord } from '../util/is-record.js';
import { processAlive } from '../util/process-alive.js';

/** The file, relative to the project. */
export const DEV_FILE = '.webex-skill-bot/dev.json';

/** What the file says. */
export interface DevBot {
  /** The `npm run dev` process. */
  readonly pid: number;
  /** The chat playground's address. */
  readonly playground: string;
  /** The emulator's REST API (`WEBEX_API_URL` to point other tools at it). */
  readonly apiUrl: string;
  /** The bot's token on the emulator (`WEBEX_BOT_TOKEN`). */
  readonly token: string;
  readonly transport: 'webhook' | 'websocket';
  /** Where the emulator delivers webhooks, and their secret (webhook mode). */
  readonly webhookUrl?: string;
  readonly webhookSecret?: string;
}

/** Writes the file for `bot` in `root`; returns what removes it. */
export function writeDevFile(root: string, bot: DevBot): () => void {
  const file = path.join(root, DEV_FILE);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(bot, null, 2)}\n`, { mode: 0o600 });
  return () => {
    try {
      if ((JSON.parse(readFileSync(file, 'utf8')) as DevBot).pid === bot.pid) rmSync(file, { force: true });
    } catch {
      // gone already
    }
  };
}

/** The running `npm run dev` of the project in `root`, or why there is none (undefined: no file). */
export function readDevFile(root: string): { bot: DevBot } | { stale: string } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path.join(root, DEV_FILE), 'utf8'));
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : { stale: `${DEV_FILE} is not JSON` };
  }
  if (!isRecord(value) || typeof value['pid'] !== 'number' || typeof value['apiUrl'] !== 'string')
    return { stale: `${DEV_FILE} does not say where a bot runs` };
  if (!processAlive(value['pid'])) return { stale: `${DEV_FILE} names process ${value['pid']}, which no longer runs` };
  return { bot: value as unknown as DevBot };
}
