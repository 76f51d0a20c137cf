/**
 * Error classes with stable codes. Every error the bot raises on purpose has a `code`, so that
 * logs, tests and callers can tell failures apart without matching on message text.
 */

/** Base class: an error with a stable machine-readable `code`. */
export class BotError extends Error {
  /** Stable identifier, e.g. `CONFIG_INVALID`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
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
  constructor(code: 'CARD_LOAD_FAILED' | 'CARD_RENDER_FAILED' | 'CARD_INVALID' | 'CARD_UNKNOWN', cardId: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.cardId = cardId;
  }
}

/** Start-up failed for a reason the operator must fix (webhooks, identity, port...). */
export class StartupError extends BotError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
