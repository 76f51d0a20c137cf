/**
 * What the bot knows about the messages it sent: which thread each is in, and the card it
 * carries. A card submission is routed by the card the bot itself sent (never by anything the
 * submitter controls), and its reply goes in that card's thread.
 *
 * Recent sends are remembered here (bounded); for older ones, or after a restart, or when
 * another instance sent the card, the message is fetched from Webex, where its author and
 * content are authoritative.
 */
import { isRecord } from '../util/is-record.js';

/** A message of the bot's, as far as routing a submission needs it. */
export interface BotMessage {
  readonly id: string;
  /** The space it was posted in (a card's submissions must come from there). */
  readonly roomId: string | undefined;
  /** Root of the thread it was posted in (its own id when it is not a reply). */
  readonly threadRoot: string;
  /** The Adaptive Card it carries, as sent; undefined when it has none. */
  readonly card: Readonly<Record<string, unknown>> | undefined;
}

/** The fields of a Webex message this ledger reads. */
export interface MessageFields {
  readonly id: string;
  readonly roomId?: string | undefined;
  readonly personId?: string;
  readonly parentId?: string | undefined;
  readonly attachments?: ReadonlyArray<{ readonly contentType?: string; readonly content?: unknown }> | undefined;
}

/** How many sent messages are remembered (each with its card). */
const DEFAULT_CAPACITY = 1000;

function toBotMessage(m: MessageFields): BotMessage {
  const content = m.attachments?.[0]?.content;
  return { id: m.id, roomId: m.roomId, threadRoot: m.parentId ?? m.id, card: isRecord(content) ? content : undefined };
}

/** Remembers sent messages and looks up the others in Webex. */
export class SentMessageLedger {
  private readonly recent = new Map<string, BotMessage>();

  /**
   * @param fetchMessage `GET /messages/{id}`; rejects with the SDK's error (`statusCode` 404 when it is gone)
   * @param botId the bot's person id
   */
  constructor(
    private readonly fetchMessage: (id: string) => Promise<MessageFields>,
    private readonly botId: () => string,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  /** Records a message the bot has just sent. */
  remember(message: MessageFields): void {
    this.recent.delete(message.id);
    this.recent.set(message.id, toBotMessage(message));
    if (this.recent.size > this.capacity) this.recent.delete(this.recent.keys().next().value as string);
  }

  /** Forgets a message the bot deleted (a submission on it then finds it gone). */
  forget(messageId: string): void {
    this.recent.delete(messageId);
  }

  /** Whether `messageId` is a message this process recorded as sent (among the recent ones). */
  knows(messageId: string): boolean {
    return this.recent.has(messageId);
  }

  /**
   * The bot's message `messageId`, or `undefined` when that message is not the bot's or no
   * longer exists. Other Webex failures reject.
   */
  async lookup(messageId: string): Promise<BotMessage | undefined> {
    const known = this.recent.get(messageId);
    if (known) return known;
    let message: MessageFields;
    try {
      message = await this.fetchMessage(messageId);
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
    if (message.personId !== this.botId()) return undefined;
    const found = toBotMessage(message);
    this.remember(message);
    return found;
  }
}
