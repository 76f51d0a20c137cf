/**
 * Whose keys are whose in a shared Redis. Every key of one bot starts with that bot's namespace,
 * `wsb:{<16 hex of sha256(bot person id)>}:`, so that two bots can share one Redis and every
 * instance of one bot finds the same keys.
 *
 * The bot's person id, not its token, names the namespace: a regenerated token is the same bot,
 * and must find its skills' state again. The id is looked up before anything else uses Redis
 * (`GET /people/me`, one call). The braces make every key of a bot one Redis Cluster hash slot,
 * which the multi-key scripts of the event queue need.
 */
import { createHash } from 'node:crypto';
import { StartupError } from '../errors.js';

/** The key prefix of the bot whose person id is `botId`. */
export function botNamespace(botId: string): string {
  return `wsb:{${createHash('sha256').update(botId).digest('hex').slice(0, 16)}}:`;
}

/**
 * The bot's person id, from `GET <apiUrl>/people/me` with its token.
 * @throws {StartupError} `WEBEX_UNAUTHORIZED` for a rejected token, `WEBEX_UNREACHABLE` otherwise.
 */
export async function lookUpBotId(apiUrl: string, token: string, timeoutMs = 10_000): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`${apiUrl}/people/me`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new StartupError(
      'WEBEX_UNREACHABLE',
      `Could not reach Webex at ${apiUrl} to learn the bot's id (it names the bot's keys in Redis): ${(err as Error).message}`,
      { cause: err },
    );
  }
  if (res.status === 401) {
    throw new StartupError(
      'WEBEX_UNAUTHORIZED',
      `Webex rejected WEBEX_BOT_TOKEN (HTTP 401) at ${apiUrl}: check the token (a regenerated token invalidates the old one)`,
    );
  }
  const body = (await res.json().catch(() => undefined)) as { id?: unknown } | undefined;
  if (!res.ok || typeof body?.id !== 'string') {
    throw new StartupError(
      'WEBEX_UNREACHABLE',
      `Webex answered HTTP ${res.status} at ${apiUrl}/people/me instead of the bot's identity`,
    );
  }
  return body.id;
}
