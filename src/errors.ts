/**
 * Error classes with stable codes. Every error the bot raises on purpose has a `code` from
 * {@link ErrorCode}, so that logs, tests and callers can tell failures apart without matching on
 * message text: test one with {@link isBotError}. All of them are here, grouped by what failed.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** Every code an error of this project can carry. */
export type ErrorCode =
  /** One or more configuration values are missing or invalid. */
  | 'CONFIG_INVALID'
  /** A skill file could not be loaded or breaks the skill contract. */
  | 'SKILL_LOAD_FAILED'
  /** A command pattern is malformed (see `src/routing/pattern.ts` for the grammar). */
  | 'PATTERN_INVALID'
  /** A card template file could not be read or is not a card. */
  | 'CARD_LOAD_FAILED'
  /** One or more card files failed the checks at load (start-up, `npm run cards:check`). */
  | 'CARD_CHECK_FAILED'
  /** A card template could not be rendered with the data given. */
  | 'CARD_RENDER_FAILED'
  /** A card (rendered or ready-made) is one Webex would refuse or render wrongly. */
  | 'CARD_INVALID'
  /** No card template has that id. */
  | 'CARD_UNKNOWN'
  /** The build before start could not compile the project (`npm run build`, `webex-skill-bot start`). */
  | 'BUILD_FAILED'
  /** Start-up did not finish in time. */
  | 'STARTUP_TIMEOUT'
  /** Webex refused the bot's token (HTTP 401). */
  | 'WEBEX_UNAUTHORIZED'
  /** Webex could not be reached at all. */
  | 'WEBEX_UNREACHABLE'
  /** The webhooks could not be registered. */
  | 'WEBHOOKS_FAILED'
  /** A Webex call did not finish in time. */
  | 'WEBEX_TIMEOUT'
  /** A Webex call failed (the HTTP status, if any, is on the error). */
  | 'WEBEX_CALL_FAILED'
  /** Webex answered 2xx with a body that is not the JSON expected (HTML, truncated, the wrong shape). */
  | 'WEBEX_BAD_ANSWER'
  /** Webex refused a reply as sent (HTTP 400). */
  | 'REPLY_REFUSED'
  /** Webex failed while a reply was posted, and the bot could not check whether it was. */
  | 'REPLY_UNCERTAIN'
  /** A reply was held back by the per-space reply rate limit. */
  | 'REPLY_SUPPRESSED'
  /** A stored value could not be read or written. */
  | 'STATE_FAILED'
  /** The state file is not readable state (it was renamed aside, never emptied). */
  | 'STATE_CORRUPT'
  /** The state folder (`STATE_DIR`) cannot be written: read-only, no permission, or not a folder. */
  | 'STATE_DIR_UNWRITABLE'
  /** Redis (`REDIS_URL`) could not be reached or used at start-up. */
  | 'REDIS_UNREACHABLE'
  /** This instance no longer holds the event's space (another instance took it over): the reply was not sent. */
  | 'EVENT_TAKEN_OVER'
  /** The event journal file holds a damaged record before valid ones, or is not a journal: nothing was changed. */
  | 'JOURNAL_CORRUPT'
  /** Another live process has the state folder (its event journal). */
  | 'JOURNAL_LOCKED'
  /** A write or flush of the event journal failed: what is on disk is unknown until it is opened again. */
  | 'JOURNAL_FAILED'
  /** The event journal was closed. */
  | 'JOURNAL_CLOSED'
  /** A call that breaks the event journal's contract (an unknown event id, an id accepted twice). */
  | 'JOURNAL_MISUSE'
  /** The assistant's language model did not answer (or finish answering) in time. */
  | 'ASSISTANT_TIMEOUT'
  /** The assistant's language model could not be reached at all (refused, reset, no such host). */
  | 'ASSISTANT_UNREACHABLE'
  /** The assistant's language model answered with an error (the HTTP status, if any, is on the error). */
  | 'ASSISTANT_FAILED'
  /** The assistant's language model answered something that is not a chat completion stream. */
  | 'ASSISTANT_BAD_ANSWER'
  /** The assistant's request was called off (the bot is stopping). */
  | 'ASSISTANT_ABORTED'
  /** A file is larger than the bot takes (`MAX_FILE_BYTES` for downloads; Webex's 100 MB for uploads). */
  | 'FILE_TOO_LARGE'
  /** A file URL the bot will not fetch with its token: not a content URL of the configured Webex API. */
  | 'FILE_REFUSED'
  /** Webex cannot hand the file over now or ever (still being scanned, blocked by its malware scan). */
  | 'FILE_UNAVAILABLE'
  /** A skill asked Webex for something (members, files) where the bot has no connection to it (a unit test's dispatcher). */
  | 'WEBEX_NOT_CONNECTED';

/**
 * Marks the bot's errors for {@link isBotError}. A registered symbol, so that it holds across two
 * copies of this module (the compiled bot, and a TypeScript skill outside `skills/` importing the
 * sources), where `instanceof` would not.
 */
const BOT_ERROR = Symbol.for('webex-skill-bot.BotError');

/** Base class: an error with a stable machine-readable `code`. */
export class BotError extends Error {
  /** Stable identifier, e.g. `CONFIG_INVALID`. */
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
Object.defineProperty(BotError.prototype, BOT_ERROR, { value: true });

// ---- Configuration, skills and cards: found at start-up (or by `npm run cards:check`) ----

/** One or more configuration values are missing or invalid. `problems` lists each, readably. */
export class ConfigError extends BotError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super('CONFIG_INVALID', `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** A skill file could not be loaded; `file` names it. */
export class SkillLoadError extends BotError {
  readonly file: string;
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super('SKILL_LOAD_FAILED', `${file}: ${reason}`, options);
    this.file = file;
  }
}

/** Thrown for a malformed command pattern; the message says what is wrong. */
export class PatternSyntaxError extends BotError {
  constructor(source: string, problem: string) {
    super('PATTERN_INVALID', `Invalid command pattern "${source}": ${problem}`);
  }
}

/** A card template could not be loaded or rendered; `cardId` names it. */
export class CardError extends BotError {
  readonly cardId: string;
  constructor(
    code: Extract<ErrorCode, `CARD_${string}`>,
    cardId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.cardId = cardId;
  }
}

/** One file and what is wrong with it. */
export interface FileProblems {
  readonly file: string;
  readonly problems: readonly string[];
}

/** Card files failed their checks; `files` lists each bad file with each of its problems. */
export class CardCheckError extends BotError {
  readonly files: readonly FileProblems[];
  constructor(files: readonly FileProblems[]) {
    const list = files.map((f) => `${f.file}\n${f.problems.map((p) => `  - ${p}`).join('\n')}`).join('\n');
    super(
      'CARD_CHECK_FAILED',
      `${files.length === 1 ? 'a card file has' : `${files.length} card files have`} problems:\n${list}`,
    );
    this.files = files;
  }
}

/** Thrown by `reply.cardJson` for a card Webex would refuse or render wrongly. */
export class InvalidCardError extends BotError {
  override readonly code = 'CARD_INVALID' as const;
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super('CARD_INVALID', `invalid card: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

// ---- Start-up ----

/** The build before start could not compile the project; the message says why (esbuild's words included). */
export class BuildError extends BotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BUILD_FAILED', message, options);
  }
}

/** Start-up failed for a reason the operator must fix (webhooks, identity, port...). */
export class StartupError extends BotError {
  constructor(
    code: Extract<
      ErrorCode,
      'STARTUP_TIMEOUT' | 'WEBEX_UNAUTHORIZED' | 'WEBEX_UNREACHABLE' | 'WEBHOOKS_FAILED' | 'REDIS_UNREACHABLE'
    >,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

// ---- Webex calls (src/calls/): shaped like the SDK's errors, so the framework and the governor read them alike ----

/** A Webex call (or a chain of them) did not finish in time. */
export class WebexTimeoutError extends BotError {
  constructor(what: string, ms: number) {
    super('WEBEX_TIMEOUT', `${what} did not finish within ${ms / 1000} s`);
  }
}

/** A Webex answer that is not a success, shaped like the SDK's HTTP error (`statusCode`, `headers`, `body`). */
export class WebexHttpError extends BotError {
  constructor(
    readonly statusCode: number,
    readonly headers: IncomingHttpHeaders,
    readonly body: unknown,
    what: string,
  ) {
    const said =
      typeof (body as { message?: unknown })?.message === 'string' ? `: ${(body as { message: string }).message}` : '';
    super('WEBEX_CALL_FAILED', `${what} answered HTTP ${statusCode}${said}`);
  }
}

/** No answer came (refused, reset, timed out): `statusCode: 0` and the socket error in `body`, as from the SDK. */
export class WebexNetworkError extends BotError {
  readonly statusCode = 0;
  readonly body: { code: string; connect?: true };
  constructor(code: string, connect: boolean, what: string, cause?: unknown) {
    super('WEBEX_CALL_FAILED', `${what}: no answer (${code})`, { cause });
    this.body = connect ? { code, connect: true } : { code };
  }
}

/**
 * Webex answered 2xx, but not with the JSON expected: an HTML page from a proxy, a truncated body,
 * or (checked by `WebexApi`) JSON of the wrong shape. Shaped like a failure with no HTTP answer
 * (`statusCode: 0`, `body.code` `EBADANSWER`), so the governor retries it where that is safe (a GET)
 * and treats a POST as possibly done (the outbox then looks for the reply before sending again).
 */
export class WebexBadAnswerError extends BotError {
  readonly statusCode = 0;
  readonly body = { code: 'EBADANSWER' } as const;
  constructor(what: string, problem: string) {
    super('WEBEX_BAD_ANSWER', `${what} answered 2xx with ${problem}`);
  }
}

/** A call refused without asking Webex, because the token was just rejected. */
export class TokenRejectedError extends BotError {
  /** Like the SDK's errors, so callers treat it as the 401 it stands for. */
  readonly statusCode = 401;
  constructor(what: string) {
    super('WEBEX_UNAUTHORIZED', `${what}: not sent, Webex rejected the bot's token (HTTP 401) moments ago`);
  }
}

// ---- Replies (the outbox) ----

/** Webex refused a reply as sent (HTTP 400); `reason` is what Webex said. */
export class ReplyRefusedError extends BotError {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('REPLY_REFUSED', `Webex refused the reply: ${reason}`, options);
  }
}

/**
 * Webex failed in a way that leaves open whether the reply was posted (a 5xx or no answer), in a
 * space where the bot cannot look (group spaces): it is not sent again, so it is never doubled.
 */
export class ReplyUncertainError extends BotError {
  constructor(
    readonly roomId: string,
    options?: { cause?: unknown },
  ) {
    super(
      'REPLY_UNCERTAIN',
      'Webex failed while posting the reply; it may or may not have been posted, and was not sent again',
      options,
    );
  }
}

/** The bot held a reply back: the space is over its reply rate (see `REPLY_RATE_LIMIT`). */
export class ReplySuppressedError extends BotError {
  constructor(readonly roomId: string) {
    super('REPLY_SUPPRESSED', 'reply not sent: the space is over the reply rate limit');
  }
}

// ---- Files ----

/**
 * A file over the bot's limit: refused before its bytes are read (from `Content-Length`), or as
 * soon as more arrive than the limit (a server that said less). `size` is what Webex said, if it did.
 */
export class FileTooLargeError extends BotError {
  constructor(
    readonly fileName: string,
    readonly limitBytes: number,
    readonly size?: number | undefined,
  ) {
    super(
      'FILE_TOO_LARGE',
      `The file ${JSON.stringify(fileName)} is ${size === undefined ? 'larger than' : `${size} bytes, over`} the limit of ${limitBytes} bytes`,
    );
  }
}

/** A URL the bot does not fetch with its token: only content URLs of the configured Webex API are. */
export class FileRefusedError extends BotError {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super('FILE_REFUSED', `Not fetching ${url}: ${reason}`);
  }
}

/** Webex does not hand the file over (`status`: 423 still scanned, 410 blocked, 428 unscannable, 404 gone). */
export class FileUnavailableError extends BotError {
  constructor(
    readonly status: number,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super('FILE_UNAVAILABLE', reason, options);
  }
}

/** `what` needs Webex, and the code running it was given no connection (a dispatcher or jobs made without one). */
export class NotConnectedError extends BotError {
  constructor(readonly what: string) {
    super('WEBEX_NOT_CONNECTED', `${what} needs a connection to Webex, and none was given here`);
  }
}

/** The reply was not sent: another instance has taken the event's space over. */
export class EventTakenOverError extends BotError {
  constructor(roomId: string) {
    super(
      'EVENT_TAKEN_OVER',
      `not sent to ${roomId}: this instance no longer holds the space (another instance took its events over)`,
    );
  }
}

// ---- State: the state store and the event journal in STATE_DIR ----

/** The state file could not be read, written, or understood; `file` names it. */
export class StateError extends BotError {
  readonly file: string;
  constructor(
    code: 'STATE_FAILED' | 'STATE_CORRUPT' | 'STATE_DIR_UNWRITABLE',
    file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.file = file;
  }
}

/** Every code a {@link JournalError} can carry. */
export type JournalErrorCode = Extract<ErrorCode, `JOURNAL_${string}`>;

/**
 * An error of the event journal; `file` names the file concerned.
 * @example
 * try { await EventJournal.open('data'); } catch (err) {
 *   if (isBotError(err, 'JOURNAL_LOCKED')) process.exit(1);
 * }
 */
export class JournalError extends BotError {
  readonly file: string;
  constructor(code: JournalErrorCode, file: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.file = file;
  }
}

// ---- The assistant (src/assistant/): its language model ----

/** Every code an {@link AssistantError} can carry. */
export type AssistantErrorCode = Extract<ErrorCode, `ASSISTANT_${string}`>;

/**
 * A request to the assistant's language model failed; `status` is the HTTP status when the model
 * answered with one. The message never holds the API key.
 * @example
 * try { for await (const e of provider.stream(request)) use(e); } catch (err) {
 *   if (isBotError(err, 'ASSISTANT_TIMEOUT')) await apologise();
 * }
 */
export class AssistantError extends BotError {
  readonly status: number | undefined;
  constructor(code: AssistantErrorCode, message: string, options?: { cause?: unknown; status?: number }) {
    super(code, message, options);
    this.status = options?.status;
  }
}

// ---- Telling errors apart ----

/**
 * The class the errors of each code are, where it is more than {@link BotError} (so that
 * {@link isBotError} narrows to it). A code thrown as a plain `BotError` somewhere stays out.
 */
interface ErrorOfCode {
  CONFIG_INVALID: ConfigError;
  SKILL_LOAD_FAILED: SkillLoadError;
  PATTERN_INVALID: PatternSyntaxError;
  CARD_LOAD_FAILED: CardError;
  CARD_CHECK_FAILED: CardCheckError;
  CARD_RENDER_FAILED: CardError;
  CARD_INVALID: CardError | InvalidCardError;
  CARD_UNKNOWN: CardError;
  BUILD_FAILED: BuildError;
  STARTUP_TIMEOUT: StartupError;
  WEBEX_UNAUTHORIZED: StartupError | TokenRejectedError;
  WEBEX_UNREACHABLE: StartupError;
  WEBHOOKS_FAILED: StartupError;
  WEBEX_TIMEOUT: WebexTimeoutError;
  WEBEX_CALL_FAILED: WebexHttpError | WebexNetworkError;
  WEBEX_BAD_ANSWER: WebexBadAnswerError;
  REPLY_REFUSED: ReplyRefusedError;
  REPLY_UNCERTAIN: ReplyUncertainError;
  REPLY_SUPPRESSED: ReplySuppressedError;
  STATE_CORRUPT: StateError;
  STATE_DIR_UNWRITABLE: StateError;
  REDIS_UNREACHABLE: StartupError;
  EVENT_TAKEN_OVER: EventTakenOverError;
  JOURNAL_CORRUPT: JournalError;
  JOURNAL_LOCKED: JournalError;
  JOURNAL_FAILED: JournalError;
  JOURNAL_CLOSED: JournalError;
  JOURNAL_MISUSE: JournalError;
  ASSISTANT_TIMEOUT: AssistantError;
  ASSISTANT_UNREACHABLE: AssistantError;
  ASSISTANT_FAILED: AssistantError;
  ASSISTANT_BAD_ANSWER: AssistantError;
  ASSISTANT_ABORTED: AssistantError;
  FILE_TOO_LARGE: FileTooLargeError;
  FILE_REFUSED: FileRefusedError;
  FILE_UNAVAILABLE: FileUnavailableError;
  WEBEX_NOT_CONNECTED: NotConnectedError;
}

/** The error {@link isBotError} narrows to for `code`. */
export type BotErrorOf<C extends ErrorCode> = (C extends keyof ErrorOfCode ? ErrorOfCode[C] : BotError) & {
  readonly code: C;
};

/**
 * True when `err` is one of the bot's coded errors, and, with `code`, one with that code. Use it
 * rather than comparing `err.code` to a string or testing a class: the code is what is meant.
 * @example
 * try { await EventJournal.open(stateDir); } catch (err) {
 *   if (isBotError(err, 'JOURNAL_LOCKED')) fail(`another bot uses ${err.file}`); // narrowed to JournalError
 *   if (isBotError(err)) fail(err.message); // any coded error of the bot
 *   throw err;
 * }
 */
export function isBotError(err: unknown): err is BotError;
export function isBotError<C extends ErrorCode>(err: unknown, code: C): err is BotErrorOf<C>;
export function isBotError(err: unknown, code?: ErrorCode): boolean {
  if (typeof err !== 'object' || err === null || (err as { [BOT_ERROR]?: unknown })[BOT_ERROR] !== true) return false;
  return code === undefined || (err as BotError).code === code;
}
