/**
 * The skill contract: everything a skill author sees. Skills get these objects from the core and
 * never touch express, winston or the Webex framework directly.
 */
import type { InputSpec, InputsOf, InputValue } from './input-types.js';
import type { ArgsOf } from './pattern-types.js';
import type { SkillState, StateScope, SubmitState } from './state.js';

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
  /** The space it went to, when Webex said (a message sent to a person: their direct space). */
  readonly roomId?: string | undefined;
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
   * `data`: it is never evaluated as a template.
   * @example await reply.card('ticket-form', { title: args.title });
   */
  card(cardId: string, data?: Readonly<Record<string, unknown>>, options?: CardReplyOptions): Promise<SentMessage>;
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
  /** The public description of every loaded skill this person may use (what `help` lists). */
  readonly skills: readonly SkillInfo[];
  // ---- Time and conversation (see the block at the end of this file) ----
  /** Sends to any space or person, not only where this event came from. */
  readonly send: Send;
  /** The bot's clock (tests move it): use it, not `new Date()`, for anything scheduled or timed. */
  now(): Date;
  /** The bot's time zone (`TIME_ZONE`): where times people type are read. */
  readonly timeZone: string;
  /** The roles of the person (e.g. `admin` from `ADMIN_EMAILS`). */
  readonly roles: ReadonlySet<string>;
  /**
   * Asks this person a question and hands their next message in this space to the skill's
   * `answers[options.answer]`, before any command matching; `cancel` gets them out. The question
   * is kept in the state store (it survives a restart, and any instance takes the answer); once
   * `timeoutMs` has passed, their next message is an ordinary one again.
   * @example
   * await ask('What is the ticket about?', { answer: 'title', data: { priority: args.priority } });
   */
  ask(question: string, options: AskOptions): Promise<SentMessage>;
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
  /** The form this card belongs to, with what earlier steps of it submitted (see {@link SubmitContext.nextStep}). */
  readonly form: FormSteps;
  /**
   * Sends the next card of a multi-step form: it belongs to the same form as this one (the same
   * `state.card`), and its submission sees this submission's inputs in `form.answers[<this card's id>]`.
   * @example
   * onSubmit: { 'trip-1': ({ nextStep }) => nextStep('trip-2'), 'trip-2': ({ form, inputs }) => book(form.answers['trip-1'], inputs) }
   */
  nextStep(cardId: string, data?: Readonly<Record<string, unknown>>, options?: CardReplyOptions): Promise<SentMessage>;
}

/** A multi-step form: its id (the first card's message id) and each earlier step's inputs, by card id. */
export interface FormSteps {
  readonly id: string;
  readonly answers: Readonly<Record<string, Readonly<Record<string, InputValue | undefined>>>>;
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
  /** Ask "are you sure?" first: what running it will do, for a Yes/No card (see {@link Confirm}). */
  readonly confirm?: Confirm<ArgsOf<P>>;
  /** Only people with one of these roles may run it (see {@link Guarded}). */
  readonly roles?: readonly string[];
  /** Only people this check allows may run it (see {@link Guarded}). */
  readonly allow?: AllowCheck;
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
  readonly confirm?: Confirm<Record<string, string | undefined>>;
  readonly roles?: readonly string[];
  readonly allow?: AllowCheck;
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
  readonly onSubmit?: Readonly<Record<string, SubmitHandler | FormHandler<any>>>;
  /** Jobs the bot runs on a schedule (see {@link Job}). */
  readonly jobs?: readonly Job[];
  /** Handlers of answers to questions asked with `ask(question, { answer: '<name>' })`, by name. */
  readonly answers?: Readonly<Record<string, AnswerHandler>>;
  /** Only people with one of these roles may use the skill: its commands, forms and answers. */
  readonly roles?: readonly string[];
  /** Only people this check allows may use the skill. */
  readonly allow?: AllowCheck;
}

// ---- Time and conversation: proactive sends, jobs, questions, confirmation, permissions ----

/**
 * Where a proactive message goes, in Webex's own field names: a space by id (optionally into a
 * thread), or a person by e-mail or id (their direct space with the bot; Webex creates it).
 */
export type Recipient =
  | { readonly roomId: string; readonly parentId?: string }
  | { readonly toPersonEmail: string }
  | { readonly toPersonId: string };

/**
 * Proactive sends: messages to a space or a person the event did not come from, from any
 * handler or job. They go through the same outbox as replies: one at a time per space, within
 * the reply rate, never posted twice.
 */
export interface Send {
  /**
   * The verbs of `reply` (text, card, cardJson...) aimed at `recipient`. `thread: true` has no
   * triggering message to follow here: put `parentId` in the recipient instead.
   * @example
   * await send.to({ toPersonEmail: 'alice@example.com' }).text('Your build is **green**');
   * await send.to({ roomId }).card('standup', { day });
   */
  to(recipient: Recipient): Reply;
}

/** Options of `ask`. */
export interface AskOptions {
  /** The name of the skill's `answers` handler that gets the answer. */
  readonly answer: string;
  /** How long the question waits for its answer [10 minutes]. */
  readonly timeoutMs?: number;
  /** JSON data handed to the answer handler as `asked.data` (what earlier steps collected). */
  readonly data?: unknown;
}

/** What an answer handler receives: the person's message, and the question it answers. */
export interface AnswerContext extends BaseContext {
  readonly state: SkillState;
  /** The answer as typed (the bot's @mention removed). */
  readonly text: string;
  readonly message: IncomingMessageInfo;
  /** The question answered: its text, the `data` given to `ask`, when it was asked. */
  readonly asked: { readonly question: string; readonly data: unknown; readonly at: Date };
}

/** An answer handler. May be async; it is awaited. To ask again (a bad answer, the next step), call `ask`. */
export type AnswerHandler = (context: AnswerContext) => unknown;

/**
 * A command that asks first: returns what running it will do ("Cancel request PRV-7K2M9Q for
 * Ada Lovelace"), or `undefined` when there is nothing to confirm (the handler then runs at once,
 * e.g. to say the request does not exist). The bot answers with a Yes/No card naming it; only a
 * Yes from the same person, within 5 minutes, once, runs the handler, with the original arguments.
 * @example confirm: ({ args }) => `Delete the ${args.name} environment`
 */
export type Confirm<Args> = (context: CommandContext<Args>) => string | undefined | Promise<string | undefined>;

/** Who is asking, for an {@link AllowCheck}. */
export interface Who {
  readonly person: Person;
  readonly space: Space;
  readonly roles: ReadonlySet<string>;
}

/**
 * A permission check: `true` when `who` may run the command (or use the skill). Synchronous, so
 * that `help` can show each person only what they may run.
 * @example allow: ({ person }) => person.email.endsWith('@ops.example.com')
 */
export type AllowCheck = (who: Who) => boolean;

/**
 * How commands and skills are limited: `roles` (any of them; `admin` is given by `ADMIN_EMAILS`)
 * and `allow` (a check of your own); with both, both must pass, and a skill's limits apply to
 * each of its commands too. Refused people get a clear answer, and `help` does not list what they
 * may not run; card buttons that run commands are checked the same way.
 */
export type Guarded = Pick<Skill, 'roles' | 'allow'>;

/** When a job runs. */
export interface JobTick {
  readonly skill: string;
  readonly job: string;
  /** The scheduled time of this run (a run for a tick missed while the bot was down is later than it). */
  readonly at: Date;
}

/** A job's view of the skill's state: the whole skill's, and any space's or person's. */
export interface JobState {
  readonly skill: StateScope;
  /** The state handlers in space `spaceId` see as `state.space`. */
  space(spaceId: string): StateScope;
  /** The state handlers see as `state.person` for person `personId`. */
  person(personId: string): StateScope;
}

/** What a job receives: the handlers' context less a triggering message, space or person. */
export interface JobContext {
  readonly tick: JobTick;
  readonly state: JobState;
  readonly send: Send;
  readonly log: SkillLog;
  now(): Date;
  readonly timeZone: string;
  readonly skills: readonly SkillInfo[];
}

/**
 * A job: `run` on every tick of `cron` (5 fields, or 6 with seconds first), in `timeZone`, once
 * across all instances of the bot, never twice for one tick (also after a restart). A run that
 * throws is logged and counted; the next tick runs as usual.
 * @example
 * jobs: [{ name: 'daily-prompt', cron: '30 9 * * 1-5', timeZone: 'Europe/Paris', missed: 'skip', run: prompt }]
 */
export interface Job {
  /** Lower-case words joined by dashes, unique in the skill. */
  readonly name: string;
  /** When: a cron expression, e.g. `30 9 * * 1-5` (09:30 on weekdays). */
  readonly cron: string;
  /** An IANA time zone (`Europe/Paris`) [the bot's `TIME_ZONE`]. */
  readonly timeZone?: string;
  /**
   * Ticks that passed while no instance was running: `run-once` runs the job once at start-up
   * for the latest of them; `skip` leaves them out.
   */
  readonly missed: 'run-once' | 'skip';
  readonly run: (context: JobContext) => unknown;
}
