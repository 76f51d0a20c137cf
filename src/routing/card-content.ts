/**
 * The fields of a message carrying a card: the attachment, and the text clients without cards
 * (and notifications) show — plain text by default, markdown when the skill asks for it.
 */
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../protocol/limits.js';
import type { CardReplyOptions } from '../skill-kit/types.js';
import { fitMessage } from './fit-message.js';
import type { CardAttachment, OutgoingMessage } from './inbound.js';

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
