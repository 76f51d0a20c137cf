/**
 * The dispatch core: what the message path (`dispatcher.ts`) and the card-submission path
 * (`submission.ts`) share, so that the two are peers over it rather than calling back into each
 * other: the outcome of an event, the handler's context, the error boundary (a handler that
 * throws never takes the bot down: the user gets a short apology carrying the event's
 * correlation id, and the error is logged with the same id), and routing text to a command.
 */
import type { AssistantMaker, TextAssistant } from './assistant-port.js';
import { prefilledReply } from './prefilled-reply.js';
import type { CardRegistry } from '../cards/card-registry.js';
import type { FormPrefill } from '../cards/prefill.js';
import { MemoryStore } from '../store/memory-store.js';
import type { KeyValueStore } from '../store/types.js';
import { escapeMarkdown } from '../skill-kit/markdown.js';
import { createSkillState } from '../skill-kit/state.js';
import type {
  BaseContext,
  CommandContext,
  FilesContext,
  IncomingMessageInfo,
  Person,
  Reply,
  SkillInfo,
  Space,
} from '../skill-kit/types.js';
import { type FileFetcher, incomingFiles } from './incoming-files.js';
import { type MemberPages, spaceContext } from './members.js';
import type { CommandIndex, CommandLookup } from './command-index.js';
import { isBotError } from '../errors.js';
import type { EventScope } from './inbound.js';
import { explainableCommands, explainMatch } from './explain-match.js';
import type { MentionIdentity } from './mention.js';
import { createReply, type ReplyTarget, sendCard } from './reply.js';
import type { LoadedCommand, LoadedSkill } from './skill-loader.js';
import type { Clock } from '../schedule/clock.js';
import type { RolePolicy } from '../policy/roles.js';
import { conversationContext, conversationParts, type ConversationParts } from './conversation-context.js';

/** How the handling of one event ended. */
export type DispatchOutcome =
  | { kind: 'handled'; skill: string }
  | { kind: 'failed'; skill: string; error: unknown }
  | { kind: 'usage'; skill: string }
  | { kind: 'unknown-command' }
  | { kind: 'unowned-card' }
  /** The submitted inputs broke the card's rules: the card went back with the errors. */
  | { kind: 'invalid-input'; skill: string }
  /** The card was sent by an older version of the bot and no longer matches its skill. */
  | { kind: 'stale-card' };

/** What the dispatcher needs. */
export interface DispatcherOptions {
  readonly skills: readonly LoadedSkill[];
  readonly cards: CardRegistry;
  /** The bot, to strip its @mention; resolved once connected. */
  readonly bot: () => MentionIdentity;
  /** Where skills' state is kept (default: in memory, gone on restart). */
  readonly store?: KeyValueStore;
  /** Webex services skills reach through their context: members, files (absent in unit tests). */
  readonly services?: SkillServices;
  // ---- Time and conversation ----
  /** The bot's clock [the system clock]. */
  readonly clock?: Clock;
  /** The bot's `TIME_ZONE` [UTC]. */
  readonly timeZone?: string;
  /** Who may run what [nobody has a role]. */
  readonly roles?: RolePolicy;
  // ---- The assistant ----
  /**
   * Makes the assistant that answers text matching no command, with these skills and the
   * dispatcher's command lookup [none: such text gets "I don't know that"].
   */
  readonly assistant?: AssistantMaker | undefined;
}

export type { AssistantMaker } from './assistant-port.js';

/** What skills reach of Webex besides replies (see {@link DispatcherOptions.services}). */
export interface SkillServices {
  /** A space's members, a page at a time (`space.members()`). */
  readonly memberPages: MemberPages;
  /** Received files (`files` of a command or of `onFiles`). */
  readonly files: FileFetcher;
  /** Largest file a skill may download (`MAX_FILE_SIZE`). */
  readonly maxFileBytes: number;
}

/** Text someone typed (or a command button ran), with where it came from and where replies go. */
export interface TextEvent {
  readonly text: string;
  readonly person: Person;
  readonly space: Space;
  readonly message: IncomingMessageInfo;
  readonly target: ReplyTarget;
  readonly resource: 'messages' | 'attachmentActions';
  /** Content URLs of the message's files (none for a command button). */
  readonly files?: readonly string[];
  /** The Yes of a confirmation: run the command without asking again (and without a pending question). */
  readonly confirmed?: boolean;
  /**
   * A command the assistant runs: it never goes back to the assistant, and a pending question
   * (already passed over by the person's own message) does not take it.
   */
  readonly fromAssistant?: boolean;
  /** The assistant's values for the form the command opens (sent pre-filled, never submitted). */
  readonly prefill?: FormPrefill | undefined;
}

/** What the message and submission paths share. */
export interface DispatchCore {
  readonly options: DispatcherOptions;
  readonly store: KeyValueStore;
  readonly skills: readonly SkillInfo[];
  /** Clock, roles, pending questions and confirmations. */
  readonly conversation: ConversationParts;
  baseContext(
    scope: EventScope,
    reply: Reply,
    skill: string,
    space: Space,
    person: Person,
    resource: 'messages' | 'attachmentActions' | 'memberships',
  ): BaseContext;
  guarded(skill: string, scope: EventScope, reply: Reply, run: () => unknown): Promise<DispatchOutcome>;
  dispatchText(event: TextEvent, scope: EventScope): Promise<DispatchOutcome>;
}

/**
 * Steps around command matching, supplied by the dispatcher (peers over this core, like the
 * submission path): pending questions before any command, permissions and confirmation before a
 * matched command runs.
 */
export interface DispatchSteps {
  /** Before any command: the outcome when this step took the text (an answer to a question). */
  beforeCommand(
    core: DispatchCore,
    event: TextEvent,
    scope: EventScope,
    reply: Reply,
  ): Promise<DispatchOutcome | undefined>;
  /** Before a matched command runs (inside its error boundary): true when it must not run now. */
  holdCommand(
    core: DispatchCore,
    command: LoadedCommand,
    event: TextEvent,
    context: CommandContext,
    scope: EventScope,
  ): Promise<boolean>;
}

function example(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** What users see when a file could not be read (too large, not handed over), or `undefined` for other errors. */
export function fileProblemText(error: unknown): string | undefined {
  if (isBotError(error, 'FILE_TOO_LARGE')) {
    const mb = (bytes: number): string => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
    const size = error.size === undefined ? 'larger than that' : mb(error.size);
    return `Sorry, that file is too large for me: I take files up to ${mb(error.limitBytes)}, and "${escapeMarkdown(error.fileName)}" is ${size}.`;
  }
  if (isBotError(error, 'FILE_UNAVAILABLE'))
    return `Sorry, I could not read that file: ${escapeMarkdown(error.message)}.`;
  if (isBotError(error, 'FILE_REFUSED'))
    return 'Sorry, I did not open that file: its link does not point to Webex, and I only fetch files from Webex.';
  return undefined;
}

/** The apology users see when a handler fails. */
export function apologyText(eventId: string): string {
  return `Sorry, something went wrong while handling that. If it keeps happening, give this reference to the bot's owner: \`${eventId}\``;
}

/** What users see when Webex refused the reply a handler made (plain text: it must not be refused too). */
export function refusedReplyText(eventId: string): string {
  return `Sorry, I could not send my answer: Webex did not accept it. Reference for the bot's owner: ${eventId}`;
}

/**
 * The part of dispatching both kinds of event share: the handler's context, the error boundary
 * around it, and routing text (typed, or a command button's) to a command.
 */
class SharedDispatch implements DispatchCore {
  readonly skills: readonly SkillInfo[];
  readonly store: KeyValueStore;
  readonly conversation: ConversationParts;
  private readonly assistant: TextAssistant | undefined;

  constructor(
    readonly options: DispatcherOptions,
    private readonly index: CommandIndex,
    private readonly steps: DispatchSteps | undefined,
  ) {
    this.skills = options.skills.map((s) => s.info);
    this.store = options.store ?? new MemoryStore();
    this.conversation = conversationParts(options, this.store);
    this.assistant = options.assistant?.({ skills: options.skills, find: (text) => index.find(text) });
  }

  baseContext(
    scope: EventScope,
    reply: Reply,
    skill: string,
    space: Space,
    person: Person,
    resource: 'messages' | 'attachmentActions' | 'memberships',
  ): BaseContext {
    const event = typeof scope.payload['event'] === 'string' ? scope.payload['event'] : 'created';
    return {
      person,
      space: spaceContext(space, this.options.services?.memberPages),
      reply,
      log: scope.log.child({ skill }),
      event: { id: scope.eventId, resource, event, payload: scope.payload },
      ...conversationContext(this.conversation, scope, { reply, skill, space, person }),
    };
  }

  /** Runs `handler` and turns a throw into an apology; never rejects. */
  async guarded(skill: string, scope: EventScope, reply: Reply, run: () => unknown): Promise<DispatchOutcome> {
    try {
      await run();
      // At debug: the pipeline's "event done" line names the skill and the outcome at info.
      scope.log.debug('handled', { skill });
      return { kind: 'handled', skill };
    } catch (error) {
      await this.answerFailure(error, skill, scope, reply);
      return { kind: 'failed', skill, error };
    }
  }

  /** After a handler threw: logs it and, unless the reply could not or should not go, apologises. */
  private async answerFailure(error: unknown, skill: string, scope: EventScope, reply: Reply): Promise<void> {
    if (isBotError(error, 'REPLY_SUPPRESSED')) {
      // The space is over its reply rate (a loop, most likely): an apology would be held back too.
      scope.log.debug('reply held back by the reply rate limit', { skill });
      return;
    }
    if (isBotError(error, 'REPLY_UNCERTAIN')) {
      // The answer may well be there: an apology under it would be wrong, and a resend could double it.
      scope.log.error(
        'a reply may not have been posted (Webex failed, and this space cannot be checked); not sent again',
        { skill, err: error },
      );
      return;
    }
    const fileAnswer = fileProblemText(error);
    if (isBotError(error, 'REPLY_REFUSED'))
      scope.log.error('Webex refused a reply', { skill, reason: error.reason, err: error });
    else if (isBotError(error, 'FILE_REFUSED'))
      scope.log.warn('a file link that is not on the Webex API was refused (the token was not sent)', {
        skill,
        url: error.url,
      });
    else if (fileAnswer !== undefined) scope.log.info('a file could not be read', { skill, err: error });
    else scope.log.error('skill handler failed', { skill, err: error });
    try {
      await reply.text(
        fileAnswer ??
          (isBotError(error, 'REPLY_REFUSED') ? refusedReplyText(scope.eventId) : apologyText(scope.eventId)),
      );
    } catch (replyError) {
      scope.log.error('could not send the apology', { skill, err: replyError });
    }
  }

  async dispatchText(event: TextEvent, scope: EventScope): Promise<DispatchOutcome> {
    const { text } = event;
    const reply = this.replyFor(event, scope);
    // A question waiting for this person's answer comes before any command (and the assistant).
    if (event.resource === 'messages' && !event.confirmed && !event.fromAssistant) {
      const answered = await this.steps?.beforeCommand(this, event, scope, reply);
      if (answered) return answered;
    }
    const lookup = this.index.find(text);
    if (scope.log.isLevelEnabled?.('debug') ?? true)
      scope.log.debug('command routing', { text, ...explainMatch(explainableCommands(this.index), text, lookup) });
    if (lookup.kind === 'match') return this.runCommand(lookup, event, scope, reply);
    if (lookup.kind === 'usage') return this.answerUsage(lookup, scope, reply);
    if ((event.files?.length ?? 0) > 0) return this.runFiles(event, scope, reply);
    if (text !== '' && this.assistant && !event.fromAssistant)
      return this.askAssistant(this.assistant, event, scope, reply);
    return this.answerUnknown(event, scope, reply);
  }

  /** The event's reply: with the form the command opens pre-filled, when the assistant gave values. */
  private replyFor(event: TextEvent, scope: EventScope): Reply {
    const { cards } = this.options;
    const reply = createReply(event.target, scope.outbox, cards, scope.log);
    if (!event.prefill) return reply;
    const deps = { outbox: scope.outbox, cards, log: scope.log };
    return prefilledReply(
      reply,
      event.prefill,
      cards,
      (card, fallback, options) => sendCard(event.target, scope.outbox, card, fallback, options, deps),
      scope.log,
    );
  }

  /**
   * Text that matches no command, to the assistant: its answer streams into replies; the commands
   * it runs come back here, as typed text (the access policy, permissions, input checks,
   * confirmation and error boundary apply to them as to a person's).
   */
  private async askAssistant(
    assistant: TextAssistant,
    event: TextEvent,
    scope: EventScope,
    reply: Reply,
  ): Promise<DispatchOutcome> {
    const { text, person, space } = event;
    const result = await assistant.answer({
      text,
      person,
      space,
      // Each message of the answer is a reply (in order, within the reply rate), edited through its handle.
      poster: { post: (markdown) => reply.text(markdown) },
      runCommand: (command, options) =>
        this.dispatchText({ ...event, text: command, fromAssistant: true, prefill: options?.prefill }, scope),
      helpWord: space.type === 'group' ? `@${this.options.bot().displayName} help` : 'help',
      log: scope.log.child({ skill: 'assistant' }),
    });
    scope.log.info('answered by the assistant', { outcome: result.outcome, commands: result.commands.length });
    return { kind: 'handled', skill: 'assistant' };
  }

  /** The files of a message whose text ran no command: to the first skill that takes files. */
  private async runFiles(event: TextEvent, scope: EventScope, reply: Reply): Promise<DispatchOutcome> {
    const taker = this.options.skills.find((s) => s.skill.onFiles !== undefined);
    if (!taker) {
      scope.log.info('a file came, and no skill takes files');
      await reply.text('Thanks for the file, but none of my skills takes files. Type `help` to see what I can do.');
      return { kind: 'unknown-command' };
    }
    const name = taker.info.name;
    const context: FilesContext = {
      ...this.baseContext(scope, reply, name, event.space, event.person, event.resource),
      state: createSkillState(this.store, name, { spaceId: event.space.id, personId: event.person.id }),
      text: event.text,
      message: event.message,
      files: this.filesOf(event),
    };
    scope.log.debug('files routed', { skill: name, files: event.files?.length });
    return this.guarded(name, scope, reply, () => taker.skill.onFiles!(context));
  }

  /** The message's files as skills get them. */
  private filesOf(event: TextEvent): FilesContext['files'] {
    const { services } = this.options;
    return incomingFiles(event.files ?? [], services?.files, services?.maxFileBytes ?? 5 * 1024 * 1024);
  }

  private runCommand(
    lookup: Extract<CommandLookup, { kind: 'match' }>,
    event: TextEvent,
    scope: EventScope,
    reply: Reply,
  ): Promise<DispatchOutcome> {
    const { command } = lookup;
    const { person, space } = event;
    scope.log.debug('command matched', { skill: command.skill, usage: command.info.usage });
    const context = {
      ...this.baseContext(scope, reply, command.skill, space, person, event.resource),
      args: lookup.args,
      text: event.text,
      message: event.message,
      files: this.filesOf(event),
      state: createSkillState(this.store, command.skill, { spaceId: space.id, personId: person.id }),
    };
    return this.guarded(command.skill, scope, reply, async () => {
      // Permissions first, then "are you sure?"; a Yes comes back here with `confirmed`.
      if (await this.steps?.holdCommand(this, command, event, context, scope)) return;
      await command.command.handle(context as never);
    });
  }

  private async answerUsage(
    lookup: Extract<CommandLookup, { kind: 'usage' }>,
    scope: EventScope,
    reply: Reply,
  ): Promise<DispatchOutcome> {
    const { command, problem } = lookup;
    scope.log.info('command usage error', { skill: command.skill, usage: command.info.usage });
    const lines = [
      `I could not follow that: ${escapeMarkdown(problem)}.`,
      `Usage: ${example(command.info.usage)} — ${command.info.help}`,
    ];
    if (command.info.examples.length > 0) lines.push(`For example: ${command.info.examples.map(example).join(', ')}`);
    await reply.text(lines.join('\n\n'));
    return { kind: 'usage', skill: command.skill };
  }

  private async answerUnknown({ text, person, space }: TextEvent, scope: EventScope, reply: Reply) {
    const helpWord = space.type === 'group' ? `@${this.options.bot().displayName} help` : 'help';
    scope.log.info('no command matched');
    if (text === '') {
      await reply.text(`Hi ${escapeMarkdown(person.displayName)}! Type ${example(helpWord)} to see what I can do.`);
    } else {
      const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
      await reply.text(
        `Sorry, I don't know "${escapeMarkdown(shown)}". Type ${example(helpWord)} to see what I can do.`,
      );
    }
    return { kind: 'unknown-command' } as const;
  }
}

/** The dispatch core over `options` and the command `index`, with the `steps` around command matching. */
export function createDispatchCore(
  options: DispatcherOptions,
  index: CommandIndex,
  steps?: DispatchSteps,
): DispatchCore {
  return new SharedDispatch(options, index, steps);
}
