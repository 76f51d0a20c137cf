/**
 * Configuration: read and validated in one place, frozen, documented in the README.
 *
 * `loadConfig(env)` is pure (it takes the environment as a parameter) so tests can pass any
 * environment; `readEnvironment()` merges a `.env` file (if present) under the real one.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from './errors.js';
import { LOG_LEVELS, type LogLevel } from './logging.js';
import { WEBEX_CLOUD_API_URL } from './protocol/limits.js';

/** Which Webex the bot talks to. */
export type WebexMode =
  /** No token given: the built-in emulator is started and the bot runs against it. */
  | 'emulator'
  /** A token was given: the bot talks to the Webex REST API at `apiUrl`. */
  | 'webex';

/** How events reach the bot. */
export type Transport =
  /** Webex POSTs each event to `WEBHOOK_URL` (a public URL). */
  | 'webhook'
  /** The bot keeps Webex's event socket open: no public URL needed. */
  | 'websocket';

/** The validated, frozen configuration of one bot process. */
export interface Config {
  readonly mode: WebexMode;
  /** `WEBEX_TRANSPORT`; default `websocket` with a token and no `WEBHOOK_URL`, else `webhook`. */
  readonly transport: Transport;
  /** `WEBEX_BOT_TOKEN`; undefined in emulator mode (the emulator mints one). */
  readonly botToken: string | undefined;
  /** `WEBEX_API_URL`, without a trailing slash. */
  readonly apiUrl: string;
  /** `WEBHOOK_URL`: the public URL Webex POSTs events to; undefined in emulator mode (derived from the port) and unused in websocket mode. */
  readonly webhookUrl: string | undefined;
  /** `WEBHOOK_SECRET`: set whenever `webhookUrl` is, in webhook mode. */
  readonly webhookSecret: string | undefined;
  /** `WEBHOOK_SECRET_PREVIOUS`: still accepted on inbound signatures during a secret rotation. */
  readonly webhookSecretPrevious: string | undefined;
  /** `ALLOWED_DOMAINS` and `ALLOWED_EMAILS`, lower case; both empty: everyone is served. */
  readonly access: { readonly domains: readonly string[]; readonly emails: readonly string[] };
  /** `RESPOND_TO_BOTS`: answer other bots' messages too (default false). */
  readonly respondToBots: boolean;
  /** `REPLY_RATE_LIMIT`: messages the bot may post per space per minute (default 30). */
  readonly replyRatePerMinute: number;
  /** `EVENT_QUEUE_LIMIT`: events held (accepted, not finished) before deliveries are refused for Webex to redeliver (default 10,000). */
  readonly eventQueueLimit: number;
  /** `SHUTDOWN_TIMEOUT` in ms: how long a stop waits for events in flight (default 10 s). */
  readonly shutdownTimeoutMs: number;
  /** `WEBHOOK_CHECK_INTERVAL` in ms: how often the watchdog checks the webhooks (default 5 min). */
  readonly webhookCheckIntervalMs: number;
  /** `PORT` the HTTP server listens on (0 = any free port). */
  readonly port: number;
  /** `HOST` the HTTP server binds to. */
  readonly host: string;
  /** `EMULATOR_PORT`: where the built-in emulator listens in emulator mode (default 4000). */
  readonly emulatorPort: number;
  /** `SKILLS_DIR`: the folder skills are loaded from (default `skills/` of the project). */
  readonly skillsDir: string;
  /** `CARDS_DIR`: the folder card templates are loaded from (default `cards/` of the project). */
  readonly cardsDir: string;
  /** `STATE_DIR`: the folder of the file-backed state store (default `data/` of the project). */
  readonly stateDir: string;
  /** `REDIS_URL`: the shared store of several instances (events, skills' state); undefined = embedded stores, one instance. */
  readonly redisUrl: string | undefined;
  /** `REDIS_LEASE_TIMEOUT` in ms: how long a stopped instance's spaces and reconciler lock stay its own (default 10 s). */
  readonly redisLeaseMs: number;
  /** `LOG_LEVEL`. */
  readonly logLevel: LogLevel;
  /** `json` when `NODE_ENV=production`, else `pretty`. */
  readonly logFormat: 'json' | 'pretty';
  /** `METRICS` / `METRICS_PORT`: Prometheus metrics on `/metrics` (on `port` when given, else on `PORT`); undefined: off. */
  readonly metrics: { readonly port?: number } | undefined;
}

/** Shortest secret accepted: a guessable secret makes signatures worthless. */
export const MIN_SECRET_LENGTH = 16;

/** Environment variables documented in the README, with their one-line meaning. */
export const CONFIG_VARIABLES = {
  WEBEX_BOT_TOKEN: "the bot's access token; unset = run against the built-in emulator",
  WEBEX_API_URL: `Webex REST base URL (default ${WEBEX_CLOUD_API_URL})`,
  WEBEX_TRANSPORT:
    'how events arrive: webhook (Webex POSTs to WEBHOOK_URL) or websocket (the event socket, no public URL); default websocket with a token and no WEBHOOK_URL, else webhook',
  WEBHOOK_URL: 'the public URL Webex POSTs events to (webhook mode); the server serves POST on its path',
  WEBHOOK_SECRET: `shared secret for webhook signatures; required with WEBHOOK_URL in webhook mode (at least ${MIN_SECRET_LENGTH} characters)`,
  WEBHOOK_SECRET_PREVIOUS: 'the previous secret, still accepted on inbound signatures while set (secret rotation)',
  ALLOWED_DOMAINS: 'comma-separated e-mail domains whose people the bot serves (unset: everyone)',
  ALLOWED_EMAILS: 'comma-separated e-mail addresses the bot serves (unset: everyone)',
  RESPOND_TO_BOTS: 'true to answer messages from other bots (default false)',
  REPLY_RATE_LIMIT: 'messages the bot may post per space per minute (default 30)',
  EVENT_QUEUE_LIMIT:
    'events held, accepted and not finished, before deliveries are refused with 503 for Webex to deliver again (default 10000; webhook mode)',
  SHUTDOWN_TIMEOUT: 'seconds a stop waits for events in flight (default 10)',
  WEBHOOK_CHECK_INTERVAL: 'seconds between webhook checks by the watchdog (default 300)',
  PORT: 'HTTP port (default 3000)',
  HOST: 'HTTP bind address (default 0.0.0.0 for webhooks with a token; 127.0.0.1 in websocket mode and against the emulator)',
  EMULATOR_PORT: 'port of the built-in emulator and its chat page when no token is set (default 4000)',
  SKILLS_DIR: 'folder of skill files (default: skills/ of the project)',
  CARDS_DIR: 'folder of card templates (default: cards/ of the project)',
  STATE_DIR: "folder where skills' state is kept, in state.json (default: data/ of the project)",
  REDIS_URL:
    'redis:// or rediss:// URL of the Redis several instances share; unset = one instance on the embedded stores',
  REDIS_LEASE_TIMEOUT:
    "seconds after which a stopped instance's spaces and reconciler lock are taken over (default 10)",
  LOG_LEVEL: `one of ${LOG_LEVELS.join(', ')} (default info)`,
  METRICS: 'true to serve Prometheus metrics on GET /metrics of PORT (default false)',
  METRICS_PORT: 'serve the metrics on a port of their own instead (implies METRICS=true)',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

function nonEmpty(env: Env, name: string): string | undefined {
  const v = env[name];
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

function parseHttpUrl(value: string, name: string, problems: string[]): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${name} must be an absolute http(s) URL, got "${value}"`);
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`${name} must use http or https, got "${url.protocol}"`);
    return undefined;
  }
  return url;
}

function parsePort(env: Env, name: string, fallback: number, problems: string[]): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) {
    problems.push(`${name} must be an integer from 0 to 65535, got "${raw}"`);
    return fallback;
  }
  return port;
}

/** A comma-separated list, trimmed, lower case, without empty items. */
function parseList(env: Env, name: string): string[] {
  return (nonEmpty(env, name) ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '');
}

function parsePositive(env: Env, name: string, fallback: number, problems: string[], unit: string): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+(\.\d+)?$/.test(raw) || !(Number(raw) > 0)) {
    problems.push(`${name} must be a positive number of ${unit}, got "${raw}"`);
    return fallback;
  }
  return Number(raw);
}

function parseBoolean(env: Env, name: string, problems: string[]): boolean {
  const raw = nonEmpty(env, name)?.toLowerCase();
  if (raw === undefined || raw === 'false' || raw === '0' || raw === 'no') return false;
  if (raw === 'true' || raw === '1' || raw === 'yes') return true;
  problems.push(`${name} must be true or false, got "${env[name] ?? ''}"`);
  return false;
}

/**
 * Validates the environment and returns the frozen configuration.
 *
 * @throws {ConfigError} listing every problem found (not only the first).
 * @example
 * const config = loadConfig({ WEBEX_BOT_TOKEN: 't', WEBHOOK_URL: 'https://bot.example.com/webhook', WEBHOOK_SECRET: '…' });
 * const socketBot = loadConfig({ WEBEX_BOT_TOKEN: 't' }); // transport: 'websocket'
 */
export function loadConfig(env: Env = process.env, projectRoot = process.cwd()): Config {
  const problems: string[] = [];

  const botToken = nonEmpty(env, 'WEBEX_BOT_TOKEN');
  if (botToken !== undefined && /\s/.test(botToken)) problems.push('WEBEX_BOT_TOKEN must not contain whitespace');

  const apiUrlRaw = nonEmpty(env, 'WEBEX_API_URL') ?? WEBEX_CLOUD_API_URL;
  const apiUrl = parseHttpUrl(apiUrlRaw, 'WEBEX_API_URL', problems) ? apiUrlRaw.replace(/\/+$/, '') : apiUrlRaw;

  const webhookUrlRaw = nonEmpty(env, 'WEBHOOK_URL');
  const transportRaw = nonEmpty(env, 'WEBEX_TRANSPORT')?.toLowerCase();
  if (transportRaw !== undefined && transportRaw !== 'webhook' && transportRaw !== 'websocket') {
    problems.push(`WEBEX_TRANSPORT must be webhook or websocket, got "${env['WEBEX_TRANSPORT'] ?? ''}"`);
  }
  const transport: Transport =
    transportRaw === 'webhook' || transportRaw === 'websocket'
      ? transportRaw
      : botToken !== undefined && webhookUrlRaw === undefined
        ? 'websocket'
        : 'webhook';
  const webhookUrl = webhookUrlRaw === undefined ? undefined : parseHttpUrl(webhookUrlRaw, 'WEBHOOK_URL', problems);
  const webhookSecret = nonEmpty(env, 'WEBHOOK_SECRET');
  if (webhookUrlRaw !== undefined && webhookSecret === undefined && transport === 'webhook') {
    problems.push(
      'WEBHOOK_SECRET is required when WEBHOOK_URL is set (Webex signs each event with it; generate one with `openssl rand -hex 20`)',
    );
  } else if (webhookSecret !== undefined && webhookSecret.length < MIN_SECRET_LENGTH) {
    problems.push(
      `WEBHOOK_SECRET must be at least ${MIN_SECRET_LENGTH} characters (generate one with \`openssl rand -hex 20\`)`,
    );
  }
  const webhookSecretPrevious = nonEmpty(env, 'WEBHOOK_SECRET_PREVIOUS');
  if (webhookSecretPrevious !== undefined) {
    if (webhookSecret === undefined)
      problems.push('WEBHOOK_SECRET_PREVIOUS is only used with WEBHOOK_SECRET (it is the secret being rotated out)');
    else if (webhookSecretPrevious === webhookSecret)
      problems.push('WEBHOOK_SECRET_PREVIOUS must differ from WEBHOOK_SECRET');
    else if (webhookSecretPrevious.length < MIN_SECRET_LENGTH)
      problems.push(`WEBHOOK_SECRET_PREVIOUS must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  if (botToken !== undefined && webhookUrlRaw === undefined && transport === 'webhook') {
    problems.push(
      'WEBHOOK_URL is required with WEBEX_TRANSPORT=webhook: it is the public URL Webex sends events to (or use WEBEX_TRANSPORT=websocket, which needs no public URL)',
    );
  }

  const port = parsePort(env, 'PORT', 3000, problems);
  const emulatorPort = parsePort(env, 'EMULATOR_PORT', 4000, problems);

  // Only webhooks from Webex need the server reachable from outside; otherwise it serves health checks locally.
  const host = nonEmpty(env, 'HOST') ?? (botToken === undefined || transport === 'websocket' ? '127.0.0.1' : '0.0.0.0');

  const levelRaw = (nonEmpty(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(levelRaw)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env['LOG_LEVEL'] ?? ''}"`);
  }

  const domains = parseList(env, 'ALLOWED_DOMAINS').map((d) => d.replace(/^@/, ''));
  for (const d of domains) {
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(d))
      problems.push(`ALLOWED_DOMAINS: "${d}" is not a domain like example.com`);
  }
  const emails = parseList(env, 'ALLOWED_EMAILS');
  for (const e of emails) {
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) problems.push(`ALLOWED_EMAILS: "${e}" is not an e-mail address`);
  }
  const respondToBots = parseBoolean(env, 'RESPOND_TO_BOTS', problems);
  const replyRatePerMinute = parsePositive(env, 'REPLY_RATE_LIMIT', 30, problems, 'messages per minute');
  const eventQueueLimit = Math.floor(parsePositive(env, 'EVENT_QUEUE_LIMIT', 10_000, problems, 'events'));
  const shutdownTimeoutMs = parsePositive(env, 'SHUTDOWN_TIMEOUT', 10, problems, 'seconds') * 1000;
  const webhookCheckIntervalMs = parsePositive(env, 'WEBHOOK_CHECK_INTERVAL', 300, problems, 'seconds') * 1000;

  const metricsOn = parseBoolean(env, 'METRICS', problems);
  const metricsPort =
    nonEmpty(env, 'METRICS_PORT') === undefined ? undefined : parsePort(env, 'METRICS_PORT', 0, problems);
  if (metricsPort !== undefined && metricsPort === port && port !== 0)
    problems.push('METRICS_PORT must differ from PORT (unset it to serve the metrics on PORT)');
  if (nonEmpty(env, 'METRICS') !== undefined && !metricsOn && metricsPort !== undefined)
    problems.push('METRICS=false contradicts METRICS_PORT (unset one of them)');
  const redisUrl = nonEmpty(env, 'REDIS_URL');
  if (redisUrl !== undefined) {
    let protocol: string | undefined;
    try {
      protocol = new URL(redisUrl).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== 'redis:' && protocol !== 'rediss:')
      problems.push(
        'REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379 or redis://:password@redis.internal:6379/0',
      );
  }
  const redisLeaseMs = parsePositive(env, 'REDIS_LEASE_TIMEOUT', 10, problems, 'seconds') * 1000;

  if (problems.length > 0) throw new ConfigError(problems);

  return Object.freeze({
    mode: botToken === undefined ? 'emulator' : 'webex',
    transport,
    botToken,
    apiUrl,
    webhookUrl: webhookUrl?.toString(),
    webhookSecret,
    webhookSecretPrevious,
    access: Object.freeze({ domains: Object.freeze(domains), emails: Object.freeze(emails) }),
    respondToBots,
    replyRatePerMinute,
    eventQueueLimit,
    shutdownTimeoutMs,
    webhookCheckIntervalMs,
    port,
    host,
    emulatorPort,
    skillsDir: path.resolve(projectRoot, nonEmpty(env, 'SKILLS_DIR') ?? 'skills'),
    cardsDir: path.resolve(projectRoot, nonEmpty(env, 'CARDS_DIR') ?? 'cards'),
    stateDir: path.resolve(projectRoot, nonEmpty(env, 'STATE_DIR') ?? 'data'),
    redisUrl,
    redisLeaseMs,
    logLevel: levelRaw as LogLevel,
    logFormat: env['NODE_ENV'] === 'production' ? 'json' : 'pretty',
    metrics:
      metricsPort !== undefined ? Object.freeze({ port: metricsPort }) : metricsOn ? Object.freeze({}) : undefined,
  } satisfies Config);
}

/**
 * The process environment with a `.env` file's values underneath it (the real environment wins).
 *
 * @param envFile path of the `.env` file; a missing file is not an error.
 */
export function readEnvironment(envFile = '.env', env: Env = process.env): Record<string, string | undefined> {
  if (!existsSync(envFile)) return { ...env };
  const fromFile = parseEnv(readFileSync(envFile, 'utf8'));
  return { ...fromFile, ...env };
}
