/**
 * The skill contract: everything a skill author sees. Skills get these objects from the core and
 * never touch express, winston or the Webex framework directly.
 */
import type { Readable } from 'node:stream';
import type { CardDataArgument, CardId, CardTemplates, SubmitCardId } from './card-templates.js';
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

/**
 * A message the bot sent, and what it can still do with it. Webex lets the author edit a text
 * message (at most 10 times) and delete any; it cannot edit a message with a card or a file. So
 * an edit that Webex cannot make (a card, a file, the 11th edit, an edit Webex refuses) deletes
 * the message and posts the new content in its place (same thread), transparently: the handle
 * then stands for the new message.
 */
export interface SentMessage {
  /** The message's id, as it is now (a message reposted by an edit has a new one). */
  readonly id: string;
  /** The space it is in (a message sent to a person: their direct space, as Webex said). */
  readonly roomId?: string | undefined;
  /**
   * Replaces the content with `markdown`: an edit where Webex allows it, else delete and repost.
   * Resolves with this handle. Text over Webex's limit is cut.
   * @example const note = await reply.text('Working on it…'); await note.edit('Done ✅');
   */
  edit(markdown: string): Promise<SentMessage>;
  /**
   * Replaces the message with the card template `cards/<cardId>.json` rendered with `data`
   * (always delete and repost: Webex cannot edit a card). Resolves with this handle.
   * @example await form.editCard('ticket-done', { id });
   */
  editCard(cardId: string, data?: Readonly<Record<string, unknown>>, options?: CardReplyOptions): Promise<SentMessage>;
  /** As {@link SentMessage.editCard}, with a ready-made card (checked first, as by `reply.cardJson`). */
  editCardJson(card: Readonly<Record<string, unknown>>, options?: CardReplyOptions): Promise<SentMessage>;
  /** Deletes the message (one already gone counts as deleted). */
  delete(): Promise<void>;
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
  /**
   * Sends a file (one per message, as Webex allows), with optional markdown `text` next to it.
   * Rejects with a `FILE_TOO_LARGE` error over Webex's 100 MB.
   * @example await reply.file({ data: Buffer.from(csv), name: 'report.csv', type: 'text/csv', text: 'This week' });
   */
  file(file: OutgoingFile, options?: ReplyOptions): Promise<SentMessage>;
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
  readonly resource: 'messages' | 'attachmentActions' | 'memberships';
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
  /** The space, and who is in it (`space.members()`). */
  readonly space: SpaceContext;
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
  /** The files sent with the message (Webex sends at most one); empty when none. */
  readonly files: readonly IncomingFile[];
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
  /**
   * The submitted card's message: replace it once the form is accepted (its confirmation in its
   * place, or a copy without buttons), so that it cannot be sent again. A card re-sent with errors
   * ({@link SubmitContext.rejectInputs}) replaces it too, rather than stacking a second card.
   * @example await form.editCard('ticket-done', { id: ticket.id });
   */
  readonly form: SentMessage;
  /** The multi-step form this card belongs to, with what its earlier steps submitted (see {@link SubmitContext.nextStep}). */
  readonly steps: FormSteps;
  /**
   * Sends the next card of a multi-step form: it belongs to the same form as this one (the same
   * `state.card`), and its submission sees this submission's inputs in `steps.answers[<this card's id>]`.
   * @example
   * onSubmit: { 'trip-1': ({ nextStep }) => nextStep('trip-2'), 'trip-2': ({ steps, inputs }) => book(steps.answers['trip-1'], inputs) }
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
  /**
   * The card form it answers with (a template id): the assistant may then open it with fields
   * pre-filled from what the person said, leaving the submit to them (docs/assistant.md).
   */
  readonly opensForm?: CardId;
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
  /** The card form it answers with, for the assistant to pre-fill (see {@link PatternCommand.opensForm}). */
  readonly opensForm?: CardId;
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
  /**
   * Messages with files whose text runs no command (a file sent alone has no text): the first
   * skill that declares `onFiles` gets them. A command still gets the files of its message.
   */
  readonly onFiles?: FilesHandler;
  /**
   * What the skill does when the bot is added to or removed from a space, or someone joins or
   * leaves one it is in. Every skill's handler runs, in load order, each in its own error boundary.
   */
  readonly on?: LifecycleHandlers;
  /** Jobs the bot runs on a schedule (see {@link Job}). */
  readonly jobs?: readonly Job[];
  /** Handlers of answers to questions asked with `ask(question, { answer: '<name>' })`, by name. */
  readonly answers?: Readonly<Record<string, AnswerHandler>>;
  /** Only people with one of these roles may use the skill: its commands, forms and answers. */
  readonly roles?: readonly string[];
  /** Only people this check allows may use the skill. */
  readonly allow?: AllowCheck;
}

// ---- Files, members and the space's lifecycle ----

/** A file to send (see {@link Reply.file}): bytes in memory, a stream, or a file on disk. */
export type OutgoingFile = {
  /** The file name people see (a name: any folders in it are dropped). */
  readonly name: string;
  /** Its media type, e.g. `text/csv` (default `application/octet-stream`). */
  readonly type?: string;
  /** Markdown sent with the file. */
  readonly text?: string;
} & (
  | { readonly data: Buffer | Uint8Array | Readable; readonly path?: never }
  | { readonly path: string; readonly data?: never }
);

/** What Webex says about a received file, before its bytes are read. */
export interface FileInfo {
  /** The name as the sender gave it: show it, never use it as a path. */
  readonly name: string;
  /** The name made safe for a file name (no folders, no control or reserved characters). */
  readonly safeName: string;
  /** The media type (`application/octet-stream` when Webex says none). */
  readonly type: string;
  /** Its size in bytes, when Webex says it. */
  readonly size: number | undefined;
}

/**
 * A file someone sent the bot. The bot's token is sent only to the Webex API configured
 * (`WEBEX_API_URL`): a file URL elsewhere is refused (`FILE_REFUSED`). A file over
 * `MAX_FILE_SIZE` is refused before its bytes are read, and a download stops there
 * (`FILE_TOO_LARGE`: the user is told the limit if the handler lets it through).
 */
export interface IncomingFile {
  /** The file's content URL (`…/v1/contents/{id}`). */
  readonly url: string;
  /**
   * Name, type and size (Webex's `HEAD`; asked once).
   * @example const { name, size } = await file.info();
   */
  info(): Promise<FileInfo>;
  /**
   * The bytes as a stream (never the whole file in memory).
   * @example for await (const chunk of await file.download()) hash.update(chunk);
   */
  download(): Promise<Readable>;
  /**
   * Writes the file to `path` (a path the skill chose; the sender's name is never used as one),
   * refusing to overwrite a file that exists. Resolves with the path and the bytes written.
   */
  saveTo(path: string): Promise<{ readonly path: string; readonly bytes: number }>;
}

/** A member of a space. */
export interface Member extends Person {
  /** A bot account (`@webex.bot`). */
  readonly isBot: boolean;
  readonly isModerator: boolean;
}

/** Options of {@link SpaceContext.members}. */
export interface MembersOptions {
  /** List bots too (this bot included); default: people only. */
  readonly includeBots?: boolean;
  /** Members fetched per Webex call (default 100). */
  readonly pageSize?: number;
}

/** The space of an event, and who is in it. */
export interface SpaceContext extends Space {
  /**
   * The space's members, fetched a page at a time as the loop goes on (through the same limits
   * as every Webex call).
   * @example
   * const names = [];
   * for await (const m of space.members()) names.push(m.displayName);
   */
  members(options?: MembersOptions): AsyncIterable<Member>;
}

/** What an `onFiles` handler receives: a message with files whose text ran no command. */
export interface FilesContext extends BaseContext {
  readonly state: SkillState;
  /** The message text, @mention removed (often empty). */
  readonly text: string;
  readonly message: IncomingMessageInfo;
  /** The files (at least one). */
  readonly files: readonly IncomingFile[];
}

/** An `onFiles` handler. May be async; it is awaited. */
export type FilesHandler = (context: FilesContext) => unknown;

/** What every lifecycle handler receives. */
export interface LifecycleContext {
  /** Who did it: added or removed the bot, or added or removed the member (who may be the member, joining or leaving). */
  readonly person: Person;
  readonly space: SpaceContext;
  readonly log: SkillLog;
  readonly event: WebhookEvent;
  readonly skills: readonly SkillInfo[];
  /** What the skill remembers, as for a command (`person` is the one who did it). */
  readonly state: SkillState;
}

/** The bot was added to the space: a chance to say what it does. */
export interface BotAddedContext extends LifecycleContext {
  readonly reply: Reply;
}

/** Someone joined or left the space. */
export interface MemberChangeContext extends LifecycleContext {
  readonly reply: Reply;
  /** Who joined or left. */
  readonly member: Member;
}

/**
 * The bot was removed from the space: it can no longer post there. Once every skill's handler
 * has run, the bot forgets the space's state (`state.space`) of every skill.
 */
export type BotRemovedContext = LifecycleContext;

/** Lifecycle handlers of a skill (see {@link Skill.on}). Each may be async; it is awaited. */
export interface LifecycleHandlers {
  /** The bot was added to a space (not: found again after a restart). */
  readonly botAdded?: (context: BotAddedContext) => unknown;
  readonly botRemoved?: (context: BotRemovedContext) => unknown;
  readonly memberAdded?: (context: MemberChangeContext) => unknown;
  readonly memberRemoved?: (context: MemberChangeContext) => unknown;
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
  /**
   * The members of space `spaceId`, as `space.members()` lists them for a handler (a page at a
   * time, through the same limits as every Webex call).
   * @example for await (const m of members(roomId)) expected.add(m.id);
   */
  members(spaceId: string, options?: MembersOptions): AsyncIterable<Member>;
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
