/**
 * What the routing layer receives from the Webex side, and how it sends back: plain data and
 * one `Outbox` interface, so routing never depends on the framework (and tests can drive it).
 */
import type { Logger } from '../logging.js';
import type { ADAPTIVE_CARD_CONTENT_TYPE } from '../protocol/limits.js';
import type { Member, Person } from '../skill-kit/types.js';

/** A message someone sent to the bot, with what the bot looked up about it. */
export interface InboundMessage {
  readonly id: string;
  readonly roomId: string;
  readonly roomType: 'direct' | 'group';
  readonly roomTitle: string;
  readonly parentId: string | undefined;
  readonly text: string;
  readonly html: string | undefined;
  /** Content URLs of the message's files (Webex sends at most one); empty when it has none. */
  readonly files: readonly string[];
  readonly created: string;
  readonly person: Person;
}

/** What a membership event meant: the bot added or removed, a person joining or leaving. */
export type LifecycleKind = 'bot-added' | 'bot-removed' | 'member-added' | 'member-removed';

/** A membership event, with what the framework made of it. */
export interface InboundLifecycle {
  readonly kind: LifecycleKind;
  readonly roomId: string;
  readonly roomType: 'direct' | 'group';
  /** The space's title ('' when the framework no longer knows the space: a removal it never saw). */
  readonly roomTitle: string;
  /** Who joined or left (member events). */
  readonly member?: Member;
}

/** The card message a submission came from, as the bot itself sent it. */
export interface SubmittedCardMessage {
  /** The card as the bot sent it (from its own record, or fetched from Webex). */
  readonly content: Readonly<Record<string, unknown>>;
  /** Root of the thread the card is in: where replies to the submission go. */
  readonly threadRoot: string;
}

/** A card submission (attachment action), with what the bot looked up about it. */
export interface InboundSubmission {
  readonly id: string;
  readonly messageId: string;
  /** The bot's card message that was submitted: what routing trusts (never the inputs). */
  readonly card: SubmittedCardMessage;
  readonly roomId: string;
  readonly roomType: 'direct' | 'group';
  readonly roomTitle: string;
  /** The inputs as submitted: untrusted, including any key the submitter chose. */
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly created: string;
  readonly person: Person;
}

/** An Adaptive Card attachment. */
export interface CardAttachment {
  readonly contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  readonly content: Readonly<Record<string, unknown>>;
}

/** A file the bot posts with a message: its bytes in memory or in a file (read again for a retry). */
export interface OutgoingFileData {
  readonly name: string;
  readonly type: string;
  /** Bytes. */
  readonly size: number;
  readonly buffer?: Buffer;
  readonly path?: string;
}

/**
 * A message the bot sends: to a space (`roomId`), or to a person (`toPersonEmail` or
 * `toPersonId`: their direct space with the bot, which Webex creates when needed). Exactly one
 * of the three is set.
 */
export interface OutgoingMessage {
  readonly roomId?: string | undefined;
  readonly toPersonEmail?: string | undefined;
  readonly toPersonId?: string | undefined;
  readonly markdown?: string;
  readonly text?: string;
  readonly parentId?: string | undefined;
  readonly attachments?: readonly CardAttachment[];
  /** A file (one per message); posted as `multipart/form-data`. */
  readonly file?: OutgoingFileData;
}

/** A message Webex has accepted. */
export interface PostedMessage {
  readonly id: string;
  /** The space it went to, when Webex said (a message sent to a person: their direct space). */
  readonly roomId?: string | undefined;
}

/** New content for a message of the bot's (an edit: text or markdown). */
export interface MessageEdit {
  readonly markdown?: string;
  readonly text?: string;
}

/**
 * Sends messages on behalf of the bot, one at a time per space and in order. Besides Webex's own
 * errors, `send` rejects with {@link ReplyRefusedError} when Webex refuses the message as sent
 * (400), and with {@link ReplySuppressedError} when the bot itself holds it back (a runaway loop).
 * `edit` and `remove` change messages the bot sent, in the same order per space; `edit` rejects
 * with {@link ReplyRefusedError} when Webex will not edit it (a card, a file, past 10 edits).
 */
export interface Outbox {
  send(message: OutgoingMessage): Promise<PostedMessage>;
  edit(messageId: string, roomId: string, content: MessageEdit): Promise<PostedMessage>;
  /** Deletes a message of the bot's; one already gone counts as deleted. */
  remove(messageId: string, roomId: string): Promise<void>;
}

/** Everything about the event being handled that is not the message itself. */
export interface EventScope {
  /** Correlation id: in every log line about this event and in apologies to users. */
  readonly eventId: string;
  /** The webhook JSON as received. */
  readonly payload: Readonly<Record<string, unknown>>;
  readonly log: Logger;
  readonly outbox: Outbox;
}
