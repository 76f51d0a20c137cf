/**
 * Error classes with stable codes. Every error the bot raises on purpose has a `code` from
 * {@link ErrorCode}, so that logs, tests and callers can tell failures apart without matching on
 * message text.
 */

/** Every code an error of this project can carry. */
export type ErrorCode =
  /** One or more configuration values are missing or invalid. */
  | 'CONFIG_INVALID'
  /** A skill file could not be loaded or breaks the skill contract. */
  | 'SKILL_LOAD_FAILED'
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
  | 'EVENT_TAKEN_OVER';

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
