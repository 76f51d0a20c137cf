/**
 * `npm run notify -- --to alice@example.com --text "Build green"`: sends a message through the
 * bot's `POST /notify`, for CI pipelines and scripts. See `USAGE`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readEnvironment } from '../config.js';
import { sendNotify } from '../notify/client.js';
import { projectLayout } from '../start/layout.js';

const projectRoot = projectLayout(import.meta.url, 1).root;

const USAGE = `Usage: npm run notify -- (--to <e-mail or person id> | --room <space id>) (--text <text> | --markdown <markdown> | --card <id> [--data <json or @file>])

Sends a message through the bot's POST /notify (the bot must run with NOTIFY_TOKEN set).

  --to <who>          a person: an e-mail address, or a Webex person id (their direct space)
  --room <id>         a space the bot is in
  --parent <id>       with --room: answer in the thread of this message
  --text <text>       plain text
  --markdown <md>     markdown
  --card <id>         a card template of cards/ (without .json); --text/--markdown is then its fallback
  --data <json>       the card's data, as JSON, or @file to read it from a file
  --url <url>         the bot's base URL [NOTIFY_URL, else http://127.0.0.1:<PORT or 3000>]
  --token <token>     [NOTIFY_TOKEN]
  --key <key>         Idempotency-Key [a random UUID]: the same key never sends twice
  --retries <n>       tries after a network error, a 429 or a 5xx, with the same key [3]

Reads NOTIFY_TOKEN, NOTIFY_URL and PORT from the environment, then .env. Prints the message id.
Exit code: 0 sent, 1 refused (the reason is printed), 2 the bot could not be reached or failed.`;

function fail(message: string, code = 1): never {
  process.stderr.write(`notify: ${message}\n`);
  process.exit(code);
}

function dataOf(raw: string | undefined): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  const text = raw.startsWith('@') ? readFileSync(raw.slice(1), 'utf8') : raw;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    fail(`--data is not JSON (${(err as Error).message})`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      to: { type: 'string' },
      room: { type: 'string' },
      parent: { type: 'string' },
      text: { type: 'string' },
      markdown: { type: 'string' },
      card: { type: 'string' },
      data: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      key: { type: 'string' },
      retries: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const env = readEnvironment(path.join(projectRoot, '.env'));
  const token = values.token ?? env['NOTIFY_TOKEN'];
  if (!token) fail('no token: pass --token or set NOTIFY_TOKEN (the bot must run with the same NOTIFY_TOKEN)');
  if ((values.to === undefined) === (values.room === undefined)) fail(`say where: --to or --room\n\n${USAGE}`);
  const to = values.to?.trim();
  const body = {
    ...(values.room !== undefined
      ? { roomId: values.room }
      : to?.includes('@')
        ? { toPersonEmail: to }
        : { toPersonId: to }),
    ...(values.parent !== undefined ? { parentId: values.parent } : {}),
    ...(values.text !== undefined ? { text: values.text } : {}),
    ...(values.markdown !== undefined ? { markdown: values.markdown } : {}),
    ...(values.card !== undefined ? { card: values.card } : {}),
    ...(values.data !== undefined ? { data: dataOf(values.data) } : {}),
  };
  const url = values.url ?? env['NOTIFY_URL'] ?? `http://127.0.0.1:${env['PORT'] ?? '3000'}`;
  const retries = values.retries === undefined ? 3 : Number(values.retries);
  if (!Number.isInteger(retries) || retries < 0) fail('--retries must be a whole number');
  const result = await sendNotify({ url, token, body, retries, ...(values.key ? { idempotencyKey: values.key } : {}) });
  if (result.ok) {
    process.stdout.write(`${result.id}\n`);
    return;
  }
  fail(
    result.status === 0 ? result.message : `${result.status}: ${result.message}`,
    result.status === 0 || result.status >= 500 ? 2 : 1,
  );
}

main().catch((err: unknown) => fail((err as Error).message, 2));
