/**
 * Handing events to `webex-node-bot-framework`, which dispatches them, and getting our handler's
 * result back.
 *
 * The framework finds (or sets up) its bot object for the space, looks the sender up, and calls
 * the matching handler — but it does not await handlers and gives them no way to carry our
 * event's context. So each hand-over leaves a continuation under the very object it hands over
 * (the message or the attachment action: the framework passes that same object to the handler
 * as `trigger.message` / `trigger.attachmentAction`), the one catch-all `hears` and the
 * `attachmentAction` listener take it from there, and the hand-over awaits what it returned.
 *
 * What the framework hands a handler (a bot object per space, a trigger with the sender it looked
 * up) is turned here into the plain data routing works on (`InboundMessage`, `InboundSubmission`).
 *
 * A message with a file reaches the framework's `files` event (a message with a file and no text
 * reaches nothing else), so the continuation of a message is taken up by `files` when it has one,
 * by the catch-all `hears` otherwise.
 *
 * **Lifecycle** (the bot added to or removed from a space, a person joining or leaving): the
 * membership event goes to the framework's own processing (`lib/process-event`), which fetches
 * the membership, spawns or despawns its bot object and emits `spawn` (with `addedBy` when the
 * bot was just added; without it for a space found late, which is no news), `despawn`,
 * `memberEnters` or `memberExits`. Those events carry the space's bot object, not our event, so
 * the continuation waits under the **space id**: sound because the queue runs the events of one
 * space one at a time, so no other event of that space is in the framework while one waits. When
 * the framework emits nothing for the bot's own removal (a space it never saw since the start:
 * it says "too late to spawn"), the removal is still handed on, from the event's own data, so
 * that skills forget the space.
 */
import { createRequire } from 'node:module';
import type Framework from 'webex-node-bot-framework';
import { withDeadline } from '../calls/deadline.js';
import type { Logger } from '../logging.js';
import type { WebhookEnvelope } from '../protocol/envelope.js';
import type { WebexAttachmentAction, WebexMessage } from '../protocol/rest.js';
import type {
  InboundLifecycle,
  InboundMessage,
  InboundSubmission,
  LifecycleKind,
  SubmittedCardMessage,
} from '../routing/inbound.js';
import { toMember } from '../routing/members.js';
import type { Member, Person } from '../skill-kit/types.js';
import type { SpaceObjectLimit } from './space-objects.js';

const require = createRequire(import.meta.url);

/** How handing an event to the framework ended. */
export type HandOver<T> =
  | { readonly kind: 'handled'; readonly outcome: T }
  /** The framework ran no handler (it could not set up the space, say). */
  | { readonly kind: 'not-dispatched' }
  /** The framework's processing failed (a Webex call, the deadline); maybe after the handler started. */
  | { readonly kind: 'failed'; readonly error: unknown; readonly handlerStarted: boolean };

/** The sender of a submission, as the framework looked them up (for the access check). */
export interface Submitter {
  readonly id: string;
  readonly email: string | undefined;
  readonly type: string | undefined;
}

/** Events handed to the framework for dispatch (see the file's comment). */
export interface FrameworkDispatch {
  /** Hands a message over; `run` is called with it as routing sees it, and its result returned. */
  message<T>(
    message: WebexMessage,
    run: (inbound: InboundMessage) => Promise<T>,
    deadlineMs: number,
  ): Promise<HandOver<T>>;
  /** Hands a card submission over, with the bot's own card message it came from. */
  submission<T>(
    action: WebexAttachmentAction,
    card: SubmittedCardMessage,
    run: (inbound: InboundSubmission, submitter: Submitter) => Promise<T>,
    deadlineMs: number,
  ): Promise<HandOver<T>>;
  /**
   * Hands a membership event over (`memberships/created` or `/deleted`); `run` is called with
   * what it meant once the framework has emitted it (see the file's comment).
   */
  membership<T>(
    envelope: WebhookEnvelope,
    run: (event: InboundLifecycle) => Promise<T>,
    deadlineMs: number,
  ): Promise<HandOver<T>>;
  /** Hands a membership or room event over, for the framework's own bot objects (spawn, despawn). */
  other(envelope: WebhookEnvelope, deadlineMs: number): Promise<void>;
}

type Continuation = (bot: Framework.Bot, trigger: Framework.Trigger) => Promise<unknown>;

/** The sender as skills see it, with fallbacks for what Webex did not say. */
export function toPerson(p: Framework.Person | undefined, fallbackId: string, fallbackEmail?: string): Person {
  return {
    id: p?.id ?? fallbackId,
    displayName: p?.displayName ?? fallbackEmail ?? 'someone',
    email: p?.emails?.[0] ?? fallbackEmail ?? '',
  };
}

function spaceOf(bot: Framework.Bot): Pick<InboundMessage, 'roomType' | 'roomTitle'> {
  return { roomType: bot.room.type === 'group' ? 'group' : 'direct', roomTitle: bot.room.title };
}

/** A membership as the framework hands it (fetched, or the event's own data for a removal). */
interface FrameworkMembership {
  readonly personId?: string;
  readonly personEmail?: string;
  readonly personDisplayName?: string;
  readonly isModerator?: boolean;
}

/** Who a membership is of, for skills (as `space.members()` lists them). */
function memberOf(m: FrameworkMembership): Member {
  return toMember({ ...m, personId: m.personId ?? '' });
}

function inboundMessage(bot: Framework.Bot, trigger: Framework.Trigger, message: WebexMessage): InboundMessage {
  return {
    id: message.id,
    roomId: message.roomId,
    ...spaceOf(bot),
    parentId: message.parentId,
    text: message.text ?? '',
    html: message.html,
    files: message.files ?? [],
    created: message.created ?? new Date().toISOString(),
    person: toPerson(trigger.person, message.personId, message.personEmail),
  };
}

function inboundSubmission(
  bot: Framework.Bot,
  trigger: Framework.Trigger,
  action: WebexAttachmentAction,
  card: SubmittedCardMessage,
): InboundSubmission {
  return {
    id: action.id,
    messageId: action.messageId,
    card,
    roomId: action.roomId,
    ...spaceOf(bot),
    inputs: action.inputs ?? {},
    created: action.created ?? new Date().toISOString(),
    person: toPerson(trigger.person, action.personId),
  };
}

/** The framework's private per-event processing: the one entry for membership and room events. */
type ProcessFrameworkEvent = (fw: unknown, body: unknown) => Promise<unknown>;

/** What a lifecycle continuation is resumed with: the space's bot object and what happened. */
type LifecycleContinuation = (bot: Framework.Bot, kind: LifecycleKind, member?: FrameworkMembership) => void;

/** The hand-overs, and the continuations waiting under the objects handed over. */
class HandOvers implements FrameworkDispatch {
  private readonly waiting = new WeakMap<object, Continuation>();
  /** Lifecycle continuations, by space id (one event per space at a time: see the file's comment). */
  private readonly lifecycle = new Map<string, LifecycleContinuation>();
  private readonly processFrameworkEvent =
    require('webex-node-bot-framework/lib/process-event') as ProcessFrameworkEvent;

  constructor(
    private readonly framework: Framework,
    private readonly spaces: SpaceObjectLimit,
    private readonly log: Logger,
  ) {
    framework.hears(/[\s\S]*/, (bot, trigger) => {
      // A message with a file was taken up by the `files` event, which the framework emits first.
      if (hasFiles(trigger.message)) return;
      this.resume(trigger.message, bot, trigger, 'message');
    });
    framework.on('files', (bot: Framework.Bot, trigger: Framework.Trigger) =>
      this.resume(trigger.message, bot, trigger, 'message'),
    );
    framework.on('attachmentAction', (bot: Framework.Bot, trigger: Framework.Trigger) =>
      this.resume(trigger.attachmentAction, bot, trigger, 'card submission'),
    );
    this.listenForLifecycle();
  }

  /** The framework's lifecycle events, each resuming the continuation of its space. */
  private listenForLifecycle(): void {
    const { framework } = this;
    const resume = (bot: Framework.Bot, kind: LifecycleKind, member?: FrameworkMembership): void =>
      this.lifecycle.get(bot.room?.id)?.(bot, kind, member);
    // `spawn` without `addedBy` is a space found late (no news); the event that found it follows.
    framework.on('spawn', (bot: Framework.Bot, _id: string, addedBy?: string) => {
      if (addedBy) resume(bot, 'bot-added');
    });
    framework.on('despawn', (bot: Framework.Bot) => resume(bot, 'bot-removed'));
    framework.on('memberEnters', (bot: Framework.Bot, m: FrameworkMembership) =>
      // The bot's own membership in a space the framework already knew: it was added (again).
      resume(bot, m.personId === framework.person?.id ? 'bot-added' : 'member-added', m),
    );
    framework.on('memberExits', (bot: Framework.Bot, m: FrameworkMembership) => resume(bot, 'member-removed', m));
  }

  message<T>(
    message: WebexMessage,
    run: (inbound: InboundMessage) => Promise<T>,
    deadlineMs: number,
  ): Promise<HandOver<T>> {
    this.spaces.touched(message.roomId);
    const handed = { ...message } as Framework.Message;
    return this.handOver(
      handed,
      () => this.framework.onMessageCreated(handed),
      (bot, trigger) => run(inboundMessage(bot, trigger, message)),
      deadlineMs,
    );
  }

  submission<T>(
    action: WebexAttachmentAction,
    card: SubmittedCardMessage,
    run: (inbound: InboundSubmission, submitter: Submitter) => Promise<T>,
    deadlineMs: number,
  ): Promise<HandOver<T>> {
    this.spaces.touched(action.roomId);
    const handed = { ...action, inputs: { ...action.inputs } } as Framework.AttachmentAction;
    return this.handOver(
      handed,
      () => this.framework.onAttachmentActions(handed),
      (bot, trigger) => {
        const person = trigger.person;
        const submitter = { id: action.personId, email: person?.emails?.[0], type: person?.type };
        return run(inboundSubmission(bot, trigger, action, card), submitter);
      },
      deadlineMs,
    );
  }

  async membership<T>(
    envelope: WebhookEnvelope,
    run: (event: InboundLifecycle) => Promise<T>,
    deadlineMs: number,
  ): Promise<HandOver<T>> {
    const { data } = envelope;
    const roomId = data.roomId ?? '';
    let result: Promise<T> | undefined;
    this.lifecycle.set(roomId, (bot, kind, member) => {
      if (result) return; // one event means one thing
      result = run({ kind, roomId, ...spaceOf(bot), ...(member ? { member: memberOf(member) } : {}) });
      result.catch(() => undefined);
    });
    try {
      await this.other(envelope, deadlineMs);
      // The bot's own removal from a space the framework never saw: still news for skills.
      if (!result && envelope.event === 'deleted' && data.personId === this.framework.person?.id) {
        const roomType = data.roomType === 'direct' ? 'direct' : 'group';
        result = run({ kind: 'bot-removed', roomId, roomType, roomTitle: '' });
      }
      return result ? { kind: 'handled', outcome: await result } : { kind: 'not-dispatched' };
    } catch (error) {
      return { kind: 'failed', error, handlerStarted: result !== undefined };
    } finally {
      this.lifecycle.delete(roomId);
    }
  }

  async other(envelope: WebhookEnvelope, deadlineMs: number): Promise<void> {
    this.spaces.touched(envelope.data.roomId);
    const firehose = this.framework.webhook;
    const body = { ...envelope, name: firehose ? firehose.name : envelope.name };
    await withDeadline(
      this.processFrameworkEvent(this.framework, body),
      deadlineMs,
      `Handling ${envelope.resource}/${envelope.event}`,
    );
  }

  /** Runs the continuation left under `handed`, once. */
  private resume(handed: object | undefined, bot: Framework.Bot, trigger: Framework.Trigger, what: string): void {
    const next = handed ? this.waiting.get(handed) : undefined;
    if (!handed || !next) {
      this.log.warn(`framework dispatched a ${what} this bot did not hand it`, { id: trigger.id });
      return;
    }
    this.waiting.delete(handed);
    void next(bot, trigger);
  }

  /** Leaves `run` under `handed`, makes the framework process it, and awaits what `run` returned. */
  private async handOver<T>(
    handed: object,
    process: () => Promise<unknown>,
    run: (bot: Framework.Bot, trigger: Framework.Trigger) => Promise<T>,
    deadlineMs: number,
  ): Promise<HandOver<T>> {
    let result: Promise<T> | undefined;
    this.waiting.set(handed, (bot, trigger) => {
      result = run(bot, trigger);
      return result.catch(() => undefined);
    });
    try {
      await withDeadline(process(), deadlineMs, 'Handing the event to the framework');
      return result ? { kind: 'handled', outcome: await result } : { kind: 'not-dispatched' };
    } catch (error) {
      return { kind: 'failed', error, handlerStarted: result !== undefined };
    } finally {
      this.waiting.delete(handed);
    }
  }
}

/** Whether a message carries a file. */
function hasFiles(message: unknown): boolean {
  const files = (message as { files?: unknown } | undefined)?.files;
  return Array.isArray(files) && files.length > 0;
}

/**
 * Registers the framework callbacks (one catch-all `hears`, the `attachmentAction` listener) and
 * returns the hand-over functions.
 */
export function frameworkDispatch(framework: Framework, spaces: SpaceObjectLimit, log: Logger): FrameworkDispatch {
  return new HandOvers(framework, spaces, log);
}
