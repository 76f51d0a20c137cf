/**
 * Logging for the whole process, built on winston.
 *
 * - `NODE_ENV=production` gives one JSON object per line; anything else gives readable lines.
 * - Every event handled by the bot gets a child logger tagged with its `eventId`, so one grep
 *   finds every line about it.
 * - A redaction format is the safety net for the rule "tokens, secrets, signatures and message
 *   bodies never appear at `info` or above": known sensitive keys are replaced by `[redacted]`
 *   in any entry at `info`, `warn` or `error`; at `debug` they are kept for local debugging,
 *   except credentials, which are never logged at any level.
 */
import winston from 'winston';

/** The levels we use, most severe first (winston's npm levels, trimmed). */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

/** Structured context attached to a log line. */
export type LogMeta = Record<string, unknown>;

/**
 * The logging interface handed around the code base (and, narrowed, to skills).
 * It is deliberately smaller than winston's so that tests can capture it easily.
 */
export interface Logger {
  error(message: string, meta?: LogMeta): void;
  warn(message: string, meta?: LogMeta): void;
  info(message: string, meta?: LogMeta): void;
  debug(message: string, meta?: LogMeta): void;
  /** A logger whose every line carries `meta` as well. */
  child(meta: LogMeta): Logger;
  /** Whether lines of `level` are written (so that costly debug details are only computed then). Absent: assume yes. */
  isLevelEnabled?(level: LogLevel): boolean;
}

/** Keys whose values are credentials: never logged, whatever the level. */
const CREDENTIAL_KEYS = new Set([
  'token',
  'authorization',
  'secret',
  'webhooksecret',
  'signature',
  'x-spark-signature',
  'access_token',
  'bottoken',
  'apikey',
  'api_key',
  'assistantapikey',
]);
/** Keys whose values are user content: logged at `debug` only. */
const CONTENT_KEYS = new Set(['text', 'markdown', 'html', 'body', 'inputs', 'rawbody', 'content', 'attachments']);

const REDACTED = '[redacted]';

function redactValue(value: unknown, level: string, depth: number): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, level, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const k = key.toLowerCase();
    if (CREDENTIAL_KEYS.has(k)) out[key] = REDACTED;
    else if (level !== 'debug' && CONTENT_KEYS.has(k)) out[key] = REDACTED;
    else out[key] = redactValue(v, level, depth + 1);
  }
  return out;
}

/** winston format applying the redaction rules above to every entry's metadata. */
const redact = winston.format((info) => {
  const level = String(info.level);
  for (const key of Object.keys(info)) {
    if (key === 'level' || key === 'message') continue;
    const k = key.toLowerCase();
    if (CREDENTIAL_KEYS.has(k)) info[key] = REDACTED;
    else if (level !== 'debug' && CONTENT_KEYS.has(k)) info[key] = REDACTED;
    else info[key] = redactValue(info[key], level, 0);
  }
  return info;
});

/** Turns an `err` property into plain fields (name, message, code, stack) that JSON can carry. */
const errorFields = winston.format((info) => {
  const err = info['err'];
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    // JSON drops an undefined code; the readable format prints only the stack.
    info['err'] = { name: err.name, message: err.message, code, stack: err.stack };
  }
  return info;
});

// A field given `undefined` prints as `key=undefined` here: callers leave such fields out of `meta`.
const readable = winston.format.printf((info) => {
  const { level, message, timestamp, err, ...rest } = info as Record<string, unknown>;
  const tags = Object.entries(rest)
    .filter(([k]) => typeof k === 'string')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const e = err as { stack?: string; message?: string } | undefined;
  const errText = e ? `\n  ${e.stack ?? e.message ?? ''}` : '';
  return `${String(timestamp)} ${String(level)} ${String(message)}${tags ? `  ${tags}` : ''}${errText}`;
});

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  level?: LogLevel;
  /** `json` for production (one object per line), `pretty` for development. */
  format?: 'json' | 'pretty';
  /** Where lines go; defaults to stdout. Tests pass a stream to capture lines. */
  stream?: NodeJS.WritableStream;
  /** Static fields on every line, e.g. `{ component: 'emulator' }`. */
  defaultMeta?: LogMeta;
  /** Suppress all output (used by tests that do not care about logs). */
  silent?: boolean;
}

/**
 * Our logger over a winston one, made cheap where a busy bot logs nothing: a line below the
 * level is dropped before winston builds it (winston would build the entry first), and a child
 * (one per request and per event) is made of winston only when it first writes a line.
 */
function wrap(get: () => winston.Logger, root: winston.Logger): Logger {
  let w: winston.Logger | undefined;
  const logger = (): winston.Logger => (w ??= get());
  // A winston child shares its root's level: the root answers for every child.
  const enabled = (level: LogLevel): boolean => !root.silent && root.isLevelEnabled(level);
  const at =
    (level: LogLevel) =>
    (m: string, meta?: LogMeta): void => {
      if (enabled(level)) logger()[level](m, meta ?? {});
    };
  return {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: (meta) => wrap(() => logger().child(meta), root),
    isLevelEnabled: enabled,
  };
}

/**
 * Creates the process logger.
 *
 * @example
 * const log = createLogger({ level: 'info', format: 'pretty' });
 * log.child({ eventId: 'ev-1' }).info('event accepted', { resource: 'messages' });
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const format = options.format ?? (process.env['NODE_ENV'] === 'production' ? 'json' : 'pretty');
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console();
  const logger = winston.createLogger({
    level: options.level ?? 'info',
    levels: { error: 0, warn: 1, info: 2, debug: 3 },
    silent: options.silent ?? false,
    defaultMeta: options.defaultMeta ?? {},
    format: winston.format.combine(
      errorFields(),
      redact(),
      winston.format.timestamp(),
      format === 'json' ? winston.format.json() : readable,
    ),
    transports: [transport],
  });
  return wrap(() => logger, logger);
}

/** A logger that drops everything: for unit tests and helpers that were given none. */
export const silentLogger: Logger = createLogger({ silent: true });
