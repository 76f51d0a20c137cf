/**
 * The `reply` object skills use: markdown (split into several messages when longer than Webex
 * allows), card templates by id,
 * or ready-made card JSON (checked first), into the right thread.
 */
import { InvalidCardError } from '../errors.js';
import type { Logger } from '../logging.js';
import { checkCard, firstText } from '../cards/check-card.js';
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../protocol/limits.js';
import type { CardRegistry } from '../cards/card-registry.js';
import { withoutTemplateTags } from '../cards/card-tags.js';
import type { CardReplyOptions, Reply, ReplyOptions, SentMessage } from '../skill-kit/types.js';
import { fitMessage } from './fit-message.js';
import { splitMessage } from './split-message.js';
import type { CardAttachment, Outbox } from './inbound.js';

/** Where replies go by default, and the thread to use when a reply asks for one. */
export interface ReplyTarget {
  readonly roomId: string;
  /** Thread of replies that do not choose (`undefined` = top level). */
  defaultParentId(): Promise<string | undefined>;
  /** Thread of replies that ask for `thread: true`. */
  threadRoot(): Promise<string>;
}

/** The thread a reply with `options` goes to. */
async function parentFor(target: ReplyTarget, options: ReplyOptions | undefined): Promise<string | undefined> {
  if (options?.thread === true) return target.threadRoot();
  if (options?.thread === false) return undefined;
  return target.defaultParentId();
}

/** Sends `card` exactly as given (the caller has checked it), with `fallback` for clients without cards. */
export async function sendCard(
  target: ReplyTarget,
  outbox: Outbox,
  card: Readonly<Record<string, unknown>>,
  fallback: string,
  options?: CardReplyOptions,
): Promise<SentMessage> {
  const attachment: CardAttachment = { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
  const parentId = await parentFor(target, options);
  if (options?.fallbackMarkdown !== undefined) {
    return outbox.send({
      roomId: target.roomId,
      markdown: fitMessage(options.fallbackMarkdown).text,
      parentId,
      attachments: [attachment],
    });
  }
  return outbox.send({
    roomId: target.roomId,
    text: fitMessage(options?.fallbackText ?? fallback).text,
    parentId,
    attachments: [attachment],
  });
}

/** Builds the `reply` for one event. */
export function createReply(target: ReplyTarget, outbox: Outbox, cards: CardRegistry, log: Logger): Reply {
  return {
    async text(markdown, options) {
      const parts = splitMessage(markdown);
      if (parts.length > 1)
        log.info('long reply split into several messages', {
          bytes: Buffer.byteLength(markdown),
          messages: parts.length,
        });
      const parentId = await parentFor(target, options);
      let first: SentMessage | undefined;
      // One after the other, so the parts arrive in order.
      for (const part of parts) {
        const sent = await outbox.send({ roomId: target.roomId, markdown: part, parentId });
        first ??= sent;
      }
      return first!;
    },
    // The id and data were type-checked against the card's template (CardTemplates) where the call was written.
    card: (async (cardId: string, data?: Readonly<Record<string, unknown>>, options?: CardReplyOptions) => {
      const rendered = cards.render(cardId, data ?? {});
      return sendCard(target, outbox, rendered.card, rendered.fallbackText, options);
    }) as Reply['card'],
    async cardJson(card, options) {
      const problems = checkCard(card);
      if (problems.length > 0) throw new InvalidCardError(problems);
      return sendCard(
        target,
        outbox,
        withoutTemplateTags(card),
        firstText(card) ?? 'Adaptive Card: open this message in Webex to see it.',
        options,
      );
    },
  };
}
