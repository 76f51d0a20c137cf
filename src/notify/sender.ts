/**
 * Sending a notify request: the card rendered from its template (the text or markdown given, or
 * the template's own text, as the fallback for clients without cards), then posted through the
 * bot's outbox like every other message (in order per space, within the reply rate, never twice).
 */
import type { CardRegistry } from '../cards/card-registry.js';
import { isBotError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { BotOutbox } from '../outbound/outbox.js';
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../protocol/limits.js';
import type { OutgoingMessage } from '../routing/inbound.js';
import type { NotifyRequest } from './request.js';

/** A request the bot cannot send as asked (an unknown card, a template that does not render): a 400 with the reason. */
export class NotifyBadRequest extends Error {}

/** Sends notify requests. */
export interface NotifySender {
  /** Posts `request`; resolves with the message's id and space. */
  send(request: NotifyRequest, log: Logger): Promise<{ id: string; roomId?: string | undefined }>;
}

/** The message `request` asks for. @throws {NotifyBadRequest} for a card that cannot be sent. */
function messageOf(request: NotifyRequest, cards: CardRegistry): OutgoingMessage {
  const { roomId, toPersonEmail, toPersonId, parentId, text, markdown } = request;
  const where =
    roomId !== undefined ? { roomId, parentId } : toPersonEmail !== undefined ? { toPersonEmail } : { toPersonId };
  if (request.card === undefined) return { ...where, text, markdown };
  if (!cards.has(request.card))
    throw new NotifyBadRequest(
      `there is no card "${request.card}" (cards: ${cards.ids.join(', ') || 'none'}; a card is a template id of cards/, without .json)`,
    );
  try {
    const rendered = cards.render(request.card, request.data ?? {});
    const attachments = [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: rendered.card }] as const;
    return {
      ...where,
      text: text ?? (markdown === undefined ? rendered.fallbackText : undefined),
      markdown,
      attachments,
    };
  } catch (err) {
    if (isBotError(err) && err.code.startsWith('CARD_')) throw new NotifyBadRequest(err.message);
    throw err;
  }
}

/**
 * The sender over the bot's `outbox` and its card templates (`cards()`: the current ones, after a reload too).
 * @example await notifySender(outbox, () => cards).send({ toPersonEmail: 'alice@example.com', text: 'hi' }, log);
 */
export function notifySender(outbox: BotOutbox, cards: () => CardRegistry): NotifySender {
  return {
    send: (request, log) => outbox.forEvent(log).send(messageOf(request, cards())),
  };
}
