/**
 * The skill contract: everything a skill author sees. Skills get these objects from the core and
 * never touch express, winston or the Webex framework directly.
 */
import type { CardDataArgument, CardId, CardTemplates, SubmitCardId } from './card-templates.js';
import type { InputSpec, InputsOf, InputValue } from './input-types.js';
import type { ArgsOf } from './pattern-types.js';
import type { SkillState, SubmitState } from './state.js';

/** Who sent the message or submitted the card. */
export interface Person {
  readonly id: string;
  readonly displayName: string;
  /** Primary email address ('' if Webex did not give one). */
  readonly email: string;
}

/** The Webex space (room) the event happened in. */
export interface Space {
  readonly id: string;
  readonly title: string;
  readonly type: 'direct' | 'group';
}

/** A message the bot sent. */
export interface SentMessage {
  readonly id: string;
}

/** Where a reply goes. */
export interface ReplyOptions {
  /**
   * `true`: reply in the thread of the triggering message (or card). `false`: post at the top
   * level of the space. Default: a message's reply stays in its thread (top level if it had
   * none); a card submission's reply goes in the card's thread.
   */
  readonly thread?: boolean;
}

/** Options for card replies. */
export interface CardReplyOptions extends ReplyOptions {
  /** Plain text shown by clients that cannot render cards (and in notifications). */
  readonly fallbackText?: string;
  /**
   * Markdown instead, for a fallback worth formatting (a list, say); put user text through
   * `escapeMarkdown()`, as in any markdown reply. Cut to Webex's size limit if longer.
   */
  readonly fallbackMarkdown?: string;
}

/** How a handler answers. Every method resolves once Webex has accepted the message. */
export interface Reply {
  /**
   * Sends markdown. Text longer than Webex's limit (7439 bytes) is sent as several messages,
   * split on paragraph, line or word boundaries (code blocks closed and reopened); resolves with the first.
   * @example await reply.text(`Hello **${person.displayName}**`);
   */
  text(markdown: string, options?: ReplyOptions): Promise<SentMessage>;
  /**
   * Sends the card template `cards/<cardId>.json` rendered with `data`. User text belongs in
   * `data`: it is never evaluated as a template. With the generated `cards/cards.d.ts`, the id
   * and the data are type-checked against the template (see {@link CardTemplates}).
   * @example await reply.card('ticket-form', { title: args.title });
   */
  card<Id extends CardId>(
    cardId: Id,
    ...dataAndOptions: [...CardDataArgument<Id>, options?: CardReplyOptions]
  ): Promise<SentMessage>;
  /**
   * Sends a ready-made Adaptive Card (e.g. one a user pasted). It is checked first; an invalid
   * card rejects with a {@link CardProblemError} listing what is wrong.
   */
  cardJson(card: Readonly<Record<string, unknown>>, options?: CardReplyOptions): Promise<SentMessage>;
}

/** A card rejected before sending; `problems` says why, in words a user can act on. */
export interface CardProblemError extends Error {
  readonly code: 'CARD_INVALID';
  readonly problems: readonly string[];
}

/** Logging for skills; lines are tagged with the skill and the event automatically. */
export interface SkillLog {
  debug(message: string, meta?: Readonly<Record<string, unknown>>): void;
  info(message: string, meta?: Readonly<Record<string, unknown>>): void;
  warn(message: string, meta?: Readonly<Record<string, unknown>>): void;
  error(message: string, meta?: Readonly<Record<string, unknown>>): void;
}

/** The webhook event being handled. */
export interface WebhookEvent {
  /** Correlation id of this event: in every log line about it and in apologies to the user. */
  readonly id: string;
  readonly resource: 'messages' | 'attachmentActions';
  readonly event: string;
  /** The webhook JSON exactly as Webex sent it (IDs only, no content). */
  readonly payload: Readonly<Record<string, unknown>>;
}

/** Public description of a command, for help. */
export interface CommandInfo {
  /** How to type it, e.g. `ticket open <priority:low|high> <title...>`. */
  readonly usage: string;
  readonly help: string;
  readonly examples: readonly string[];
  /** The text that runs the command when it needs no arguments (e.g. `provision list`); `undefined` when it needs some. */
  readonly withoutArguments: string | undefined;
}

/** Public description of a skill, for help. */
export interface SkillInfo {
  readonly name: string;
  readonly description: string;
  readonly commands: readonly CommandInfo[];
}

/** What every handler receives. */
export interface BaseContext {
  readonly person: Person;
  readonly space: Space;
  readonly reply: Reply;
  readonly log: SkillLog;
  readonly event: WebhookEvent;
  /** Every loaded skill's public description (what `help` lists). */
  readonly skills: readonly SkillInfo[];
}

/** The message that triggered a command. */
export interface IncomingMessageInfo {
  readonly id: string;
  /** Root message id when the message was sent in a thread. */
  readonly parentId: string | undefined;
  /** The text as Webex gave it (mention included). */
  readonly rawText: string;
  readonly created: string;
}

/** What a command handler receives. */
export interface CommandContext<Args = Record<string, string | number | undefined>> extends BaseContext {
  /** What the skill remembers: per skill, space and person. */
  readonly state: SkillState;
  /** Captured arguments, typed from the pattern. */
  readonly args: Args;
  /** The message text with the bot's @mention removed, as matched against the pattern. */
  readonly text: string;
  readonly message: IncomingMessageInfo;
}

/** What a card-submit handler receives. */
export interface SubmitContext<Inputs = Readonly<Record<string, InputValue | undefined>>> extends BaseContext {
  /**
   * The submitted inputs, validated against the card's own rules and typed (numbers, booleans,
   * string lists for multi-selects), `undefined` for an empty optional input; keys the card
   * does not declare are dropped.
   */
  readonly inputs: Inputs;
  /** The data of the submit button pressed, as the card declares it (the bot's tags removed). */
  readonly button: Readonly<Record<string, unknown>>;
  /** The template id of the submitted card, or `undefined` for a card not sent from `cards/`. */
  readonly cardId: string | undefined;
  /** The attachment action. */
  readonly action: { readonly id: string; readonly messageId: string; readonly created: string };
  /** What the skill remembers: per skill, space, person, and this form. */
  readonly state: SubmitState;
  /**
   * Sends the card again with `errors` (input id → message) shown next to its fields and what
   * was typed kept; for rules only the skill knows (a duplicate, a date in the past).
   * @example return rejectInputs({ email: 'A request for this e-mail already exists' });
   */
  rejectInputs(errors: Readonly<Record<string, string>>): Promise<SentMessage>;
}

/** A command handler. May be async; it is awaited. */
export type CommandHandler<Args> = (context: CommandContext<Args>) => unknown;

/** A card-submit handler. May be async; it is awaited. */
export type SubmitHandler = (context: SubmitContext) => unknown;

/** A card-submit handler whose inputs are declared, and so typed (see {@link InputsOf}). */
export interface FormHandler<S extends InputSpec = InputSpec> {
  /** Each input of the card with its kind; checked against the card at start. */
  readonly inputs: S;
  readonly handle: (context: SubmitContext<InputsOf<S>>) => unknown;
}

/** A command written as a text pattern (see `compilePattern` for the syntax). */
export interface PatternCommand<P extends string = string> {
  readonly pattern: P;
  /** One line saying what the command does. */
  readonly help: string;
  /** Sample texts a user could type; shown by `help`. */
  readonly examples?: readonly string[];
  /** Higher runs first when several commands match (default 0). */
  readonly priority?: number;
  readonly handle: CommandHandler<ArgsOf<P>>;
}

/** A command written as a RegExp (the escape hatch); named groups become `args`. */
export interface RegExpCommand {
  readonly pattern: RegExp;
  /** How to type it, for help (a RegExp cannot say it). */
  readonly usage: string;
  readonly help: string;
  readonly examples?: readonly string[];
  readonly priority?: number;
  readonly handle: CommandHandler<Record<string, string | undefined>>;
}

/** Any command. */
// biome-ignore lint/suspicious/noExplicitAny: `handle` makes PatternCommand invariant in its pattern, so no other type accepts every PatternCommand<'...'>
export type Command = PatternCommand<any> | RegExpCommand;

/** A skill: one feature of the bot, in one file of `skills/`. */
export interface Skill {
  /** Unique name, lower-case words joined by dashes, e.g. `ticket` or `stand-up`. */
  readonly name: string;
  /** One line for help. */
  readonly description: string;
  readonly commands?: readonly Command[];
  /**
   * Card-submit handlers by card template id (`cards/<id>.json`): a function, or `form({...})`
   * for typed inputs. The key `'*'` receives submissions of ready-made cards (e.g. cards users
   * pasted). Inputs are validated against the card's own rules before a handler runs.
   */
  // biome-ignore lint/suspicious/noExplicitAny: `handle` makes FormHandler invariant in its inputs, so no other type accepts every form({...})
  readonly onSubmit?: { readonly [cardId in SubmitCardId]?: SubmitHandler | FormHandler<any> };
}
