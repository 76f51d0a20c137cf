/**
 * The settings of the bot, declared once: for each environment variable, the `Config` field it
 * fills, how its text is read (and what is wrong with a bad one), its default and what it means.
 * The `Config` type, the validation of `loadConfig` and the table of docs/configuration.md are
 * all made from this table; the rules that involve several settings are in `./rules.ts`.
 *
 * @example
 * SETTINGS.PORT.parse('8080', { name: 'PORT', projectRoot: '.' }); // 8080
 * type Port = Config['port']; // number
 */
import { LOG_LEVELS } from '../logging.js';
import { DEFAULT_METRICS_HOST } from '../metrics/settings.js';
import { WEBEX_CLOUD_API_URL } from '../protocol/limits.js';
import {
  baseUrl,
  boolean,
  domains,
  emails,
  folder,
  httpUrl,
  type Invalid,
  map,
  oneOf,
  type Parser,
  port,
  positive,
  seconds,
  secret,
  text,
  timeZone,
  token,
  urlOf,
} from './parsers.js';

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

/** Shortest secret accepted: a guessable secret makes signatures worthless. */
export const MIN_SECRET_LENGTH = 16;

/** The `default` of a setting whose default depends on other settings: a rule in `./rules.ts` computes it. */
export const DERIVED: unique symbol = Symbol('default derived from other settings');

/** One environment variable: what it fills in `Config`, how it is read, its default and its meaning. */
export interface Setting<T = unknown> {
  /** The `Config` field it fills. */
  readonly key: string;
  /** When several settings fill one object (`Config.access`): the field of that object this one fills. */
  readonly field?: string;
  /**
   * True for the setting that turns its `key`'s object on: the object is undefined while it is
   * false, unless a field of the object is set (which turns it on too).
   */
  readonly switch?: true;
  /** Reads the (trimmed, non-empty) text of the variable. */
  readonly parse: Parser<T>;
  /**
   * The value when the variable is unset (or its value is bad), written as in the environment;
   * {@link DERIVED} when a rule computes it from other settings; absent: the value is undefined.
   */
  readonly default?: string | typeof DERIVED;
  /** The default as docs/configuration.md shows it (markdown); else the `default` in backticks, or `unset`. */
  readonly shownDefault?: string;
  /** What it means: its description in docs/configuration.md (markdown, one line). */
  readonly meaning: string;
}

/** Every setting, in the order docs/configuration.md lists them. */
export const SETTINGS = {
  WEBEX_BOT_TOKEN: {
    key: 'botToken',
    parse: token,
    meaning: "The bot's access token. Unset: the built-in emulator is started and the bot runs against it.",
  },
  WEBEX_API_URL: {
    key: 'apiUrl',
    parse: baseUrl,
    default: WEBEX_CLOUD_API_URL,
    meaning: 'Webex REST base URL.',
  },
  WEBEX_TRANSPORT: {
    key: 'transport',
    parse: oneOf<Transport>(['webhook', 'websocket']),
    default: DERIVED,
    shownDefault: '`websocket` with a token and no `WEBHOOK_URL`; `webhook` otherwise (also against the emulator)',
    meaning:
      "How events reach the bot: `webhook` (Webex POSTs them to `WEBHOOK_URL`) or `websocket` (the bot keeps Webex's event socket open; no public URL). With `websocket`, `WEBHOOK_URL` is not used.",
  },
  WEBHOOK_URL: {
    key: 'webhookUrl',
    parse: httpUrl,
    shownDefault: 'emulator mode: `http://127.0.0.1:<PORT>/webhook`',
    meaning:
      'The public URL Webex POSTs events to (webhook mode). The server serves `POST` on its path. Required with `WEBEX_TRANSPORT=webhook` and a token.',
  },
  WEBHOOK_SECRET: {
    key: 'webhookSecret',
    parse: secret(MIN_SECRET_LENGTH, ' (generate one with `openssl rand -hex 20`)'),
    shownDefault: 'emulator mode: random',
    meaning: `Shared secret Webex signs each event with (at least ${MIN_SECRET_LENGTH} characters). Required whenever \`WEBHOOK_URL\` is set in webhook mode.`,
  },
  WEBHOOK_SECRET_PREVIOUS: {
    key: 'webhookSecretPrevious',
    parse: text,
    meaning:
      'During a secret rotation, the old secret: still accepted on inbound signatures while set; webhooks are always registered with `WEBHOOK_SECRET`.',
  },
  ALLOWED_DOMAINS: {
    key: 'access',
    field: 'domains',
    parse: domains,
    default: '',
    shownDefault: 'unset: everyone',
    meaning:
      'Comma-separated e-mail domains (`example.com,corp.example.org`) whose people the bot serves, checked per sender for messages and card submissions. Sub-domains are not included.',
  },
  ALLOWED_EMAILS: {
    key: 'access',
    field: 'emails',
    parse: emails,
    default: '',
    shownDefault: 'unset: everyone',
    meaning: 'Comma-separated e-mail addresses the bot serves as well (guests, partners).',
  },
  RESPOND_TO_BOTS: {
    key: 'respondToBots',
    parse: boolean,
    default: 'false',
    meaning: '`true` to answer messages from other bots (`type: bot`, `@webex.bot` addresses).',
  },
  REPLY_RATE_LIMIT: {
    key: 'replyRatePerMinute',
    parse: positive('messages per minute'),
    default: '30',
    meaning: 'Messages the bot may post per space per minute; over it, replies are held back (a loop breaker).',
  },
  MAX_FILE_SIZE: {
    key: 'maxFileBytes',
    parse: map(positive('megabytes'), (mb) => Math.floor(mb * 1024 * 1024)),
    default: '5',
    meaning:
      "Largest file, in MB, a skill may download from a message: a bigger one is refused from Webex's size before any byte is read, and a download is cut off at this size whatever the size said.",
  },
  EVENT_QUEUE_LIMIT: {
    key: 'eventQueueLimit',
    parse: map(positive('events'), Math.floor),
    default: '10000',
    meaning:
      'Events the bot holds, accepted and not yet finished, before it refuses deliveries with 503 and `Retry-After` so that Webex delivers them again later (webhook mode; over the event socket nothing can be redelivered, so nothing is refused). At most 100 spaces are handled at the same moment, in any case.',
  },
  SHUTDOWN_TIMEOUT: {
    key: 'shutdownTimeoutMs',
    parse: seconds,
    default: '10',
    meaning: 'Seconds a stop (SIGTERM, Ctrl+C) waits for the events in flight.',
  },
  WEBHOOK_CHECK_INTERVAL: {
    key: 'webhookCheckIntervalMs',
    parse: seconds,
    default: '300',
    meaning: "Seconds between the watchdog's checks of the bot's webhooks (every minute when no event arrives).",
  },
  PORT: {
    key: 'port',
    parse: port,
    default: '3000',
    meaning: 'HTTP port of the bot.',
  },
  HOST: {
    key: 'host',
    parse: text,
    default: DERIVED,
    shownDefault: '`0.0.0.0` for webhooks with a token; `127.0.0.1` in websocket mode and against the emulator',
    meaning:
      "Bind address of the bot's HTTP server (the webhook route in webhook mode, `/healthz` and `/readyz` always).",
  },
  EMULATOR_PORT: {
    key: 'emulatorPort',
    parse: port,
    default: '4000',
    meaning: 'Port of the built-in emulator (emulator mode only).',
  },
  SKILLS_DIR: {
    key: 'skillsDir',
    parse: folder,
    default: 'skills',
    shownDefault: '`skills/`',
    meaning:
      "Folder skills are loaded from. `npm start` compiles the project's `skills/` with the rest of the bot; `.ts` skills in another folder are loaded through tsx, a development tool, so a production install (`--omit=dev`) needs them compiled to `.js` (it says so naming the file).",
  },
  CARDS_DIR: {
    key: 'cardsDir',
    parse: folder,
    default: 'cards',
    shownDefault: '`cards/`',
    meaning: 'Folder card templates are loaded from.',
  },
  STATE_DIR: {
    key: 'stateDir',
    parse: folder,
    default: 'data',
    shownDefault: '`data/`',
    meaning:
      "Folder of skills' remembered state (`state.json`); see [the state store](skills.md#remembering-the-state-store). Unused with `REDIS_URL`.",
  },
  REDIS_URL: {
    key: 'redisUrl',
    parse: urlOf(
      ['redis:', 'rediss:'],
      'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379 or redis://:password@redis.internal:6379/0',
    ),
    shownDefault: 'unset: one instance, embedded stores',
    meaning:
      "`redis://` or `rediss://` URL of the Redis that several instances share (events, claims, skills' state); see [several instances](operations.md#running-several-instances).",
  },
  REDIS_LEASE_TIMEOUT: {
    key: 'redisLeaseMs',
    parse: seconds,
    default: '10',
    meaning:
      "Seconds after which a stopped instance's spaces and the reconciler lock are taken over by another instance.",
  },
  NOTIFY_TOKEN: {
    key: 'notifyToken',
    parse: secret(MIN_SECRET_LENGTH, ' (generate one with `openssl rand -hex 20`)'),
    shownDefault: 'unset: `POST /notify` is off; emulator mode: random',
    meaning: `Turns on \`POST /notify\` on the bot's HTTP server, for CI pipelines and monitors: a request must carry \`Authorization: Bearer <NOTIFY_TOKEN>\` (at least ${MIN_SECRET_LENGTH} characters); see [notify](operations.md#notify-from-ci-and-monitors).`,
  },
  ADMIN_EMAILS: {
    key: 'adminEmails',
    parse: emails,
    default: '',
    shownDefault: 'unset: nobody',
    meaning:
      "Comma-separated e-mail addresses of the people with the `admin` role: commands and skills declared `roles: ['admin']` answer them only (see [permissions](skills.md#permissions)).",
  },
  TIME_ZONE: {
    key: 'timeZone',
    parse: timeZone,
    default: 'UTC',
    meaning:
      'IANA time zone (`Europe/Paris`, `America/New_York`) of scheduled jobs that name none, and of times people type (`remind me at 17:00`).',
  },
  LOG_LEVEL: {
    key: 'logLevel',
    parse: oneOf(LOG_LEVELS),
    default: 'info',
    meaning: `${LOG_LEVELS.slice(0, -1)
      .map((level) => `\`${level}\``)
      .join(', ')} or \`${LOG_LEVELS.at(-1)}\`.`,
  },
  METRICS: {
    key: 'metrics',
    switch: true,
    parse: boolean,
    default: 'false',
    meaning:
      '`true` to serve Prometheus metrics on `GET /metrics` of `PORT`, so on `HOST` too (see [metrics](operations.md#metrics)).',
  },
  METRICS_PORT: {
    key: 'metrics',
    field: 'port',
    parse: port,
    meaning: 'Serve the metrics on this port of their own instead, on `METRICS_HOST` (implies `METRICS=true`).',
  },
  METRICS_HOST: {
    key: 'metrics',
    field: 'host',
    parse: text,
    shownDefault: `\`${DEFAULT_METRICS_HOST}\` (this machine only)`,
    meaning:
      "Bind address of the metrics' own server (`METRICS_PORT`); `0.0.0.0` serves them on every interface. Only used with `METRICS_PORT`: metrics on `PORT` are served by the bot's server, so on `HOST`.",
  },
  ASSISTANT_BASE_URL: {
    key: 'assistantBaseUrl',
    parse: baseUrl,
    shownDefault: 'unset: no assistant',
    meaning:
      'Base URL of an OpenAI-compatible chat completions API (`https://api.openai.com/v1`; Ollama: `http://localhost:11434/v1`). Set: messages that match no command go to the assistant (see docs/assistant.md).',
  },
  ASSISTANT_API_KEY: {
    key: 'assistantApiKey',
    parse: token,
    shownDefault: 'unset: no `Authorization` header (local servers)',
    meaning: "The assistant API's key, sent only as `Authorization: Bearer …`; never logged.",
  },
  ASSISTANT_MODEL: {
    key: 'assistantModel',
    parse: token,
    meaning: 'The model the assistant asks (`gpt-4o-mini`; Ollama: `llama3.1`). Required with `ASSISTANT_BASE_URL`.',
  },
  ASSISTANT_TIMEOUT: {
    key: 'assistantTimeoutMs',
    parse: seconds,
    default: '30',
    meaning:
      'Seconds one request to the model may take, streaming included; then the answer so far is finished, or the person gets a short apology.',
  },
  ASSISTANT_MAX_TOKENS: {
    key: 'assistantMaxTokens',
    parse: map(positive('tokens'), (n) => Math.max(1, Math.floor(n))),
    default: '800',
    meaning:
      'Most tokens the model may write in one request (sent as `max_tokens`; a stream that goes past about 4 characters a token is cut).',
  },
  ASSISTANT_RATE_LIMIT: {
    key: 'assistantRatePerMinute',
    parse: map(positive('requests per minute'), (n) => Math.max(1, Math.floor(n))),
    default: '10',
    meaning: 'Requests one person may make of the assistant per minute; over it they are asked to wait.',
  },
  ASSISTANT_MEMORY: {
    key: 'assistantMemory',
    parse: boolean,
    default: 'true',
    meaning:
      '`false` to keep no conversation: each message is then answered on its own. On: the last turns per person per space are kept in the state store.',
  },
  ASSISTANT_MEMORY_TURNS: {
    key: 'assistantMemoryTurns',
    parse: map(positive('turns'), (n) => Math.max(1, Math.floor(n))),
    default: '6',
    meaning: 'Turns (a message and its answer) the assistant remembers per person per space.',
  },
  ASSISTANT_MEMORY_TTL: {
    key: 'assistantMemoryTtlMs',
    parse: seconds,
    default: '3600',
    meaning: 'Seconds after the last turn that a conversation is forgotten.',
  },
  NODE_ENV: {
    key: 'logFormat',
    parse: (raw): 'json' | 'pretty' => (raw === 'production' ? 'json' : 'pretty'),
    default: '',
    shownDefault: 'unset',
    meaning: '`production` logs JSON lines; anything else logs readable lines.',
  },
} as const satisfies Record<string, Setting>;

/** The name of an environment variable of the table. */
export type VariableName = keyof typeof SETTINGS;

type AnyEntry = (typeof SETTINGS)[VariableName];

/** The type a setting's parser reads. */
type Parsed<S> = S extends { readonly parse: Parser<infer T> } ? Exclude<T, Invalid> : never;

/** The value of a setting once read: what its parser reads, or undefined when it has no default. */
export type ValueOf<S> = S extends { readonly default: string | typeof DERIVED } ? Parsed<S> : Parsed<S> | undefined;

/** The value of every setting, by variable name. */
export type SettingValues = { -readonly [N in VariableName]: ValueOf<(typeof SETTINGS)[N]> };

/** The variables whose default a rule derives from other settings. */
export type DerivedName = {
  [N in VariableName]: (typeof SETTINGS)[N] extends { readonly default: typeof DERIVED } ? N : never;
}[VariableName];

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type EntriesOf<K> = Extract<AnyEntry, { readonly key: K }>;
type FieldsOf<K> = Extract<EntriesOf<K>, { readonly field: string }>;

/** The object several settings fill together: fields with a default always there, the others optional. */
type GroupOf<K> = Simplify<
  { readonly [E in FieldsOf<K> as E extends { readonly default: string } ? E['field'] : never]: ValueOf<E> } & {
    readonly [E in FieldsOf<K> as E extends { readonly default: string } ? never : E['field']]?: Parsed<E>;
  }
>;

/** The value of one `Config` field: one setting's value, or the object of several (undefined while switched off). */
type FieldValue<K> = [FieldsOf<K>] extends [never]
  ? ValueOf<EntriesOf<K>>
  : [Extract<EntriesOf<K>, { readonly switch: true }>] extends [never]
    ? GroupOf<K>
    : GroupOf<K> | undefined;

/**
 * The validated, frozen configuration of one bot process: one field per `key` of {@link SETTINGS}
 * (see each variable's meaning there or in docs/configuration.md), plus `mode`, which the token decides.
 */
export type Config = Simplify<
  { readonly [K in AnyEntry['key']]: FieldValue<K> } & {
    /** `emulator` without `WEBEX_BOT_TOKEN`, else `webex`. */
    readonly mode: WebexMode;
  }
>;

/** The settings of the table with their names, in the table's order. */
export function settingEntries(): [VariableName, Setting][] {
  return Object.entries(SETTINGS) as [VariableName, Setting][];
}

/** Environment variables documented in docs/configuration.md, with their meaning (markdown). */
export const CONFIG_VARIABLES: Readonly<Record<VariableName, string>> = Object.freeze(
  Object.fromEntries(settingEntries().map(([name, setting]) => [name, setting.meaning])) as Record<
    VariableName,
    string
  >,
);
