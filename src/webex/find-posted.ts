/**
 * Was a reply posted after all? After a POST whose answer was lost (a 5xx, a reset, a timeout),
 * or when an instance takes over an event another stopped on in the middle of a reply, the
 * space's newest messages are looked at for the bot's message with that content.
 *
 * Webex lets a bot list all messages only in direct spaces; in group spaces, only those that
 * mention it, so there the answer is `'unknown'`.
 */
import type { OutgoingMessage } from '../routing/inbound.js';
import type { MessageFields } from './sent-messages.js';

/** A message as Webex lists it (the fields compared here). */
export interface ListedMessage extends MessageFields {
  readonly text?: string;
  readonly markdown?: string;
  readonly created?: string;
}

/** The newest messages of a space (rejects where the bot may not list them). */
export type ListRecent = (roomId: string, max: number) => Promise<ListedMessage[]>;

/** How far back (ms) a listed message may be dated and still be the one looked for (clock skew). */
const CLOCK_SKEW_MS = 10_000;
/** Newest messages looked at. */
const LOOK_BACK = 20;

function sameContent(listed: ListedMessage, sent: OutgoingMessage): boolean {
  if (sent.markdown !== undefined ? listed.markdown !== sent.markdown : listed.text !== sent.text) return false;
  const sentCard = sent.attachments?.[0]?.content;
  const listedCard = listed.attachments?.[0]?.content;
  return sentCard === undefined ? listedCard === undefined : JSON.stringify(listedCard) === JSON.stringify(sentCard);
}

/**
 * The bot's message with `message`'s content, thread and space, posted since `since` (epoch ms,
 * less clock skew) and not one of the messages `known` accounts for; `undefined` when provably
 * not there; `'unknown'` when the bot may not list the space.
 */
export async function findPostedReply(listRecent: ListRecent, botId: string, message: OutgoingMessage, since: number, known: (id: string) => boolean): Promise<ListedMessage | undefined | 'unknown'> {
  let listed: ListedMessage[];
  try {
    listed = await listRecent(message.roomId, LOOK_BACK);
  } catch {
    return 'unknown';
  }
  return listed.find((m) =>
    m.personId === botId &&
    (m.parentId ?? undefined) === (message.parentId ?? undefined) &&
    !known(m.id) &&
    (m.created === undefined || Date.parse(m.created) >= since - CLOCK_SKEW_MS) &&
    sameContent(m, message));
}
