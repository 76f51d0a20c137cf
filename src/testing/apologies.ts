/**
 * The bot's apologies, read in tests: when a handler fails, the person gets "Sorry, something
 * went wrong… reference X" and the cause goes to the log, tagged with X (the event's id). The
 * test harness keeps the error lines it is given and, when a reply is an apology, names what the
 * bot logged for that event — so a failing test says `CardError: card "standup-report": no data
 * for ${members}`, not only "Sorry".
 */
import type { Logger, LogLevel, LogMeta } from '../logging.js';
import { apologyText, refusedReplyText } from '../routing/dispatcher.js';

/** One error line the bot logged. */
interface LoggedError {
  readonly message: string;
  readonly meta: LogMeta;
}

/** The reference an apology text gives, or undefined when `text` is no apology. */
export function apologyReference(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  for (const template of [apologyText('REF'), refusedReplyText('REF')]) {
    const [before, after] = template.split('REF') as [string, string];
    if (text.startsWith(before) && text.endsWith(after)) {
      const reference = text.slice(before.length, text.length - after.length);
      if (/^[\w-]+$/.test(reference)) return reference;
    }
  }
  return undefined;
}

/** How an error is shown: its name and message, and the first lines of its stack. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return JSON.stringify(err);
  const stack = (err.stack ?? '').split('\n').slice(1, 4).join('\n');
  const cause = err.cause === undefined ? '' : `\n    caused by ${describe(err.cause)}`;
  return `${err.name}: ${err.message}${stack ? `\n${stack}` : ''}${cause}`;
}

/** The error lines a logger was given, by event. */
export class LoggedErrors {
  private readonly lines: LoggedError[] = [];

  /** `inner`, keeping every error line it is given (with the fields of its parents). */
  capture(inner: Logger, meta: LogMeta = {}): Logger {
    const keep = (level: LogLevel) => (message: string, m?: LogMeta) => {
      if (level === 'error') this.lines.push({ message, meta: { ...meta, ...m } });
      inner[level](message, m);
    };
    return {
      error: keep('error'),
      warn: keep('warn'),
      info: keep('info'),
      debug: keep('debug'),
      child: (m) => this.capture(inner.child(m), { ...meta, ...m }),
      isLevelEnabled: (level) => inner.isLevelEnabled?.(level) ?? true,
    };
  }

  /** What was logged for event `eventId`, one error per paragraph ('' when nothing). */
  about(eventId: string): string {
    return this.lines
      .filter((l) => l.meta['eventId'] === eventId)
      .map((l) => {
        const skill = typeof l.meta['skill'] === 'string' ? ` (skill ${l.meta['skill']})` : '';
        return `  ${l.message}${skill}${l.meta['err'] === undefined ? '' : `: ${describe(l.meta['err'])}`}`;
      })
      .join('\n');
  }
}

/**
 * The error to fail a test with when `reply` to `asked` is an apology; undefined otherwise.
 * @example
 * const failure = apologyFailure(reply.markdown, 'standup', logged);
 * if (failure) throw failure;
 */
export function apologyFailure(text: string | undefined, asked: string, logged: LoggedErrors): Error | undefined {
  const reference = apologyReference(text);
  if (reference === undefined) return undefined;
  const cause = logged.about(reference);
  return new Error(
    `the bot answered ${asked} with its apology (reference ${reference}) instead of a reply. ${
      cause
        ? `It logged:\n${cause}`
        : 'It logged no error for that event (a log of your own, startTestBot({ log }), sees everything).'
    }\n(startTestBot({ apologies: 'return' }) returns apologies as replies, to test them.)`,
  );
}
