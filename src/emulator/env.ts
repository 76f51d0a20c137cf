/**
 * Configuration of the standalone emulator, read from the environment in one place.
 */
import { ConfigError } from '../errors.js';
import { LOG_LEVELS, type LogLevel } from '../logging.js';
import { checkAllowedHosts } from './http/host-guard.js';

export { ConfigError };

/** What `npm run emulator` needs. */
export interface StandaloneConfig {
  /** 0 picks a free port. */
  port: number;
  botToken?: string;
  logLevel: LogLevel;
  /** Names it answers besides the loopback ones (`EMULATOR_ALLOWED_HOSTS`). */
  allowedHosts: string[];
}

/** Default port of the standalone emulator. */
export const DEFAULT_EMULATOR_PORT = 4000;

/**
 * Reads `EMULATOR_PORT` (default 4000, 0 = random), `WEBEX_BOT_TOKEN`, `LOG_LEVEL` and
 * `EMULATOR_ALLOWED_HOSTS` (comma-separated host names it answers besides the loopback ones).
 *
 * @example
 * readStandaloneConfig({ EMULATOR_PORT: '0' }) // { port: 0, logLevel: 'info', allowedHosts: [] }
 */
export function readStandaloneConfig(env: NodeJS.ProcessEnv): StandaloneConfig {
  const rawPort = env['EMULATOR_PORT']?.trim();
  let port = DEFAULT_EMULATOR_PORT;
  if (rawPort !== undefined && rawPort !== '') {
    if (!/^\d+$/.test(rawPort) || Number(rawPort) > 65535) {
      throw new ConfigError([
        `EMULATOR_PORT must be a port number from 0 to 65535 (0 picks a free port); got ${JSON.stringify(rawPort)}`,
      ]);
    }
    port = Number(rawPort);
  }
  const token = env['WEBEX_BOT_TOKEN']?.trim();
  if (token && /\s/.test(token)) throw new ConfigError(['WEBEX_BOT_TOKEN must not contain spaces']);
  const rawLevel = (env['LOG_LEVEL']?.trim() || 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(rawLevel))
    throw new ConfigError([`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got ${JSON.stringify(rawLevel)}`]);
  const names = (env['EMULATOR_ALLOWED_HOSTS'] ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  let allowedHosts: string[];
  try {
    allowedHosts = checkAllowedHosts(names);
  } catch (err) {
    throw new ConfigError([`EMULATOR_ALLOWED_HOSTS: ${(err as Error).message.replace(/^allowedHosts: /, '')}`]);
  }
  return { port, ...(token ? { botToken: token } : {}), logLevel: rawLevel as LogLevel, allowedHosts };
}
