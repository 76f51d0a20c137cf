/**
 * The handle of a message the bot sent ({@link SentMessage}): edit it, replace it with a card,
 * delete it. Webex lets the author edit a text message at most {@link MAX_MESSAGE_EDITS} times
 * and cannot edit a message with a card or a file (its "Edit a Message" reference), so:
 *
 * - a text message is edited in place (`PUT /messages/{id}`) while edits remain;
 * - past the limit, for a card or a file, or when Webex refuses the edit (a 400: the limit was
 *   reached by an edit made elsewhere, say), the new content is posted where the message was (same
 *   space, same thread) and the old message is deleted: new first, so that the space never shows
 *   neither. The handle then stands for the new message (its `id` changes).
 *
 * A reposted thread root keeps no thread: replies already in its thread stay under the deleted
 * message. Edits go through the outbox, in the space's order.
 */
import { isBotError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { CardRegistry } from '../cards/card-registry.js';
import type { CardReplyOptions, SentMessage } from '../skill-kit/types.js';
import { fitMessage } from './fit-message.js';
import type { Outbox, OutgoingMessage } from './inbound.js';
import { cardContent, checkedCardJson } from './card-content.js';

/** Webex's limit: a message can be edited at most this many times; the next edit is a 400. */
export const MAX_MESSAGE_EDITS = 10;

/** What a message holds, as far as editing goes. */
export type MessageKind = 'text' | 'card' | 'file';

/** A message as the handle knows it. */
export interface ShownMessage {
  readonly id: string;
  readonly roomId: string;
  /** Its thread (`undefined`: top level). */
  readonly parentId: string | undefined;
  readonly kind: MessageKind;
  /** Edits made through this handle (Webex counts them all). */
  readonly edits: number;
}

/** What a handle works with. */
export interface HandleDeps {
  readonly outbox: Outbox;
  readonly cards: CardRegistry;
  readonly log: Logger;
}

/** The handle of one message (see the file's comment). */
export class MessageHandle implements SentMessage {
  constructor(
    private shown: ShownMessage,
    private readonly deps: HandleDeps,
  ) {}

  get id(): string {
    return this.shown.id;
  }

  get roomId(): string {
    return this.shown.roomId;
  }

  /** The message as it is now. */
  get current(): ShownMessage {
    return this.shown;
  }

  async edit(markdown: string): Promise<SentMessage> {
    const text = fitMessage(markdown).text;
    const { shown, deps } = this;
    if (shown.kind === 'text' && shown.edits < MAX_MESSAGE_EDITS) {
      try {
        await deps.outbox.edit(shown.id, shown.roomId, { markdown: text });
        this.shown = { ...shown, edits: shown.edits + 1 };
        return this;
      } catch (err) {
        if (!isBotError(err, 'REPLY_REFUSED')) throw err;
        deps.log.info('Webex did not take the edit: the message is posted anew in its place', {
          messageId: shown.id,
          reason: err.reason,
        });
      }
    }
    return this.replace({ markdown: text }, 'text');
  }

  editCard(cardId: string, data?: Readonly<Record<string, unknown>>, options?: CardReplyOptions): Promise<SentMessage> {
    const rendered = this.deps.cards.render(cardId, data ?? {});
    return this.replace(cardContent(rendered.card, rendered.fallbackText, options), 'card');
  }

  async editCardJson(card: Readonly<Record<string, unknown>>, options?: CardReplyOptions): Promise<SentMessage> {
    const checked = checkedCardJson(card);
    return this.replace(cardContent(checked.card, checked.fallback, options), 'card');
  }

  /** Replaces the message with a card exactly as given (the caller checked it). */
  replaceWithCard(
    card: Readonly<Record<string, unknown>>,
    fallback: string,
    options?: CardReplyOptions,
  ): Promise<SentMessage> {
    return this.replace(cardContent(card, fallback, options), 'card');
  }

  async delete(): Promise<void> {
    await this.deps.outbox.remove(this.shown.id, this.shown.roomId);
  }

  /** Posts `content` where the message is, then deletes the message; the handle moves to the new one. */
  private async replace(
    content: Omit<OutgoingMessage, 'roomId' | 'parentId'>,
    kind: MessageKind,
  ): Promise<SentMessage> {
    const old = this.shown;
    const posted = await this.deps.outbox.send({ roomId: old.roomId, parentId: old.parentId, ...content });
    this.shown = { id: posted.id, roomId: old.roomId, parentId: old.parentId, kind, edits: 0 };
    try {
      await this.deps.outbox.remove(old.id, old.roomId);
    } catch (err) {
      // The new content is out: the edit happened. A copy left behind is logged, not a failure.
      this.deps.log.warn('reposted the message, but the old copy could not be deleted', { messageId: old.id, err });
    }
    return this;
  }
}
