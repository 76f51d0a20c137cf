/**
 * What the routing layer receives from the Webex side, and how it sends back: plain data and
 * one `Outbox` interface, so routing never depends on the framework (and tests can drive it).
 */
import type { Logger } from '../logging.js';
import type { ADAPTIVE_CARD_CONTENT_TYPE } from '../protocol/limits.js';
import type { Person, SentMessage } from '../skill-kit/types.js';

/** A message someone sent to the bot, with what the bot looked up about it. */
export interface InboundMessage {
  readonly id: string;
  readonly roomId: string;
  readonly roomType: 'direct' | 'group';
  readonly roomTitle: string;
  readonly parentId: string | undefined;
  readonly text: string;
  readonly html: string | undefined;
  readonly created: string;
  readonly person: Person;
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
}

/**
 * Sends messages on behalf of the bot, one at a time per space and in order. Besides Webex's own
 * errors, `send` rejects with {@link ReplyRefusedError} when Webex refuses the message as sent
 * (400), and with {@link ReplySuppressedError} when the bot itself holds it back (a runaway loop).
 */
export interface Outbox {
  send(message: OutgoingMessage): Promise<SentMessage>;
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
