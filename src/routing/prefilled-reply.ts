/**
 * A reply that sends a form pre-filled: when the assistant runs a command that opens a form
 * (`opensForm`) with values taken from what the person said, the command's first
 * `reply.card(<that card>, …)` goes out with those values in the card's inputs (those that fit
 * the inputs' own rules). The person still submits it; the bot never does.
 */
import type { CardRegistry } from '../cards/card-registry.js';
import { type FormPrefill, prefillInputs } from '../cards/prefill.js';
import type { Logger } from '../logging.js';
import type { CardReplyOptions, Reply, SentMessage } from '../skill-kit/types.js';

/** Sends a card exactly as given (the card was rendered and checked by the registry). */
export type SendCard = (
  card: Readonly<Record<string, unknown>>,
  fallback: string,
  options: CardReplyOptions | undefined,
) => Promise<SentMessage>;

/**
 * `reply`, except that the first `reply.card(prefill.cardId, …)` sends the form with the values
 * of `prefill` in its inputs (those that fit them: `prefillInputs`). Nothing is submitted.
 */
export function prefilledReply(
  reply: Reply,
  prefill: FormPrefill,
  cards: CardRegistry,
  send: SendCard,
  log: Logger,
): Reply {
  let used = false;
  const card = async (cardId: string, data?: Readonly<Record<string, unknown>>, options?: CardReplyOptions) => {
    if (used || cardId !== prefill.cardId)
      return (reply.card as (id: string, ...rest: unknown[]) => Promise<SentMessage>)(cardId, data, options);
    used = true;
    const rendered = cards.render(cardId, data ?? {});
    const { card: filledIn, filled, refused } = prefillInputs(rendered.card, prefill.values);
    log.info('form opened pre-filled for the assistant', {
      card: cardId,
      filled,
      ...(refused.length > 0 ? { refused: refused.map((r) => r.id) } : {}),
    });
    return send(filledIn, rendered.fallbackText, options);
  };
  return { ...reply, card: card as Reply['card'] };
}
