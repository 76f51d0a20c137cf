/**
 * The framework and the SDK write to `console` directly (failed spawns, network warnings, the
 * SDK's own logger). In the bot process those writes are routed through winston instead, so
 * production logs stay JSON lines, and every line is scrubbed of the bot's token, its webhook
 * secrets and any bearer token before it is written.
 */
import { format } from 'node:util';
import { eventLogOr } from './log-context.js';
import type { Logger } from './logging.js';

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
type ConsoleMethod = (typeof CONSOLE_METHODS)[number];

/** Levels of the captured methods: third-party errors are warnings here (our own code logs their consequences). */
const LEVEL: Record<ConsoleMethod, 'debug' | 'info' | 'warn'> = {
  log: 'info',
  info: 'info',
  warn: 'warn',
  error: 'warn',
  debug: 'debug',
  trace: 'debug',
};

const REDACTED = '[redacted]';

/**
 * `text` without `secrets` and without anything after `Bearer `.
 * @example scrubSecrets('Authorization: Bearer abc.def', []) // → 'Authorization: Bearer [redacted]'
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text.replace(/(bearer\s+)[^\s"',]+/gi, `$1${REDACTED}`);
  for (const secret of secrets) {
    if (secret.length >= 8) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * Routes `console.*` through `log` (tagged `source: console`) until the returned function is called.
 * @param secrets values that must never be written (the token, the webhook secrets)
 */
export function routeConsoleToLog(log: Logger, secrets: readonly string[]): () => void {
  const originals = new Map<ConsoleMethod, (...args: unknown[]) => void>();
  const scoped = log.child({ source: 'console' });
  for (const method of CONSOLE_METHODS) {
    originals.set(method, console[method]);
    // Inside an event, the line carries that event's id.
    console[method] = (...args: unknown[]) =>
      eventLogOr(scoped)
        .child({ source: 'console' })
        [LEVEL[method]](scrubSecrets(format(...args), secrets));
  }
  return () => {
    for (const [method, original] of originals) console[method] = original;
  };
}
