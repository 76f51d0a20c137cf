/**
 * `send`: proactive messages from handlers and jobs, to a space by id or to a person by e-mail or
 * id. Each recipient gets the same `Reply` a handler answers with (text split to size, card
 * templates rendered, ready-made cards checked), over the same outbox: one message at a time per
 * space, within the reply rate, never posted twice.
 */
import type { CardRegistry } from '../cards/card-registry.js';
import type { Logger } from '../logging.js';
import type { Recipient, Send } from '../skill-kit/types.js';
import type { Outbox } from './inbound.js';
import { createReply, type ReplyTarget } from './reply.js';

const FIELDS = ['roomId', 'toPersonEmail', 'toPersonId'] as const;

/**
 * The reply target of `recipient`, checked: exactly one of `roomId`, `toPersonEmail`,
 * `toPersonId`, a non-empty string.
 * @throws {TypeError} naming what is wrong.
 */
export function targetOf(recipient: Recipient): ReplyTarget {
  const given = FIELDS.filter((f) => (recipient as Record<string, unknown>)[f] !== undefined);
  if (given.length !== 1)
    throw new TypeError(
      `send.to() takes exactly one of roomId, toPersonEmail, toPersonId (got ${given.join(', ') || 'none'})`,
    );
  const field = given[0]!;
  const value = (recipient as Record<string, unknown>)[field];
  if (typeof value !== 'string' || value.trim() === '')
    throw new TypeError(`send.to(): ${field} must be a non-empty string`);
  const parentId = 'parentId' in recipient ? recipient.parentId : undefined;
  const top = async (): Promise<string | undefined> => parentId;
  const thread = async (): Promise<string> => {
    if (parentId === undefined) throw new TypeError('send.to(): thread: true needs a parentId in the recipient');
    return parentId;
  };
  return { [field]: value.trim(), defaultParentId: top, threadRoot: thread };
}

/**
 * Creates `send` over `outbox` (a handler's: its event's; a job's: one of its own).
 * @example
 * const send = createSend(outbox, cards, log);
 * await send.to({ toPersonEmail: 'alice@example.com' }).text('Deployed');
 */
export function createSend(outbox: Outbox, cards: CardRegistry, log: Logger): Send {
  return { to: (recipient) => createReply(targetOf(recipient), outbox, cards, log) };
}
