/**
 * The fields of a message carrying a card: the attachment, and the text clients without cards
 * (and notifications) show — plain text by default, markdown when the skill asks for it.
 */
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../protocol/limits.js';
import type { CardReplyOptions } from '../skill-kit/types.js';
import { fitMessage } from './fit-message.js';
import type { CardAttachment, OutgoingMessage } from './inbound.js';
import { withoutTemplateTags } from '../cards/card-tags.js';
import { checkCard, firstText } from '../cards/check-card.js';
import { InvalidCardError } from '../errors.js';

/** `card` as a message's content, with `fallback` (or the options' own) next to it. */
export function cardContent(
  card: Readonly<Record<string, unknown>>,
  fallback: string,
  options?: CardReplyOptions,
): Pick<OutgoingMessage, 'markdown' | 'text' | 'attachments'> {
  const attachment: CardAttachment = { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
  if (options?.fallbackMarkdown !== undefined)
    return { markdown: fitMessage(options.fallbackMarkdown).text, attachments: [attachment] };
  return { text: fitMessage(options?.fallbackText ?? fallback).text, attachments: [attachment] };
}

/**
 * A ready-made card (`reply.cardJson`, `editCardJson`) checked as Webex takes it, without the
 * bot's template tags, with the text shown where cards are not: its first text, else a hint.
 * @throws {InvalidCardError} naming each problem
 */
export function checkedCardJson(card: Readonly<Record<string, unknown>>): {
  readonly card: Readonly<Record<string, unknown>>;
  readonly fallback: string;
} {
  const problems = checkCard(card);
  if (problems.length > 0) throw new InvalidCardError(problems);
  return {
    card: withoutTemplateTags(card),
    fallback: firstText(card) ?? 'Adaptive Card: open this message in Webex to see it.',
  };
}
