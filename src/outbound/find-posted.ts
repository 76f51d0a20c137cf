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
  readonly files?: readonly string[];
  readonly text?: string;
  readonly markdown?: string;
  readonly created?: string;
}

/** The newest messages of a space (rejects where the bot may not list them). */
export type ListRecent = (roomId: string, max: number) => Promise<ListedMessage[]>;

/** How far back (ms) a listed message may be dated and still be the one looked for (clock skew). */
const CLOCK_SKEW_MS = 10_000;
/** Newest messages looked at first. */
const LOOK_BACK = 20;
/** The most looked at (Webex's largest page): a space busier than this since the POST cannot be checked. */
const LOOK_BACK_MOST = 1000;

function sameContent(listed: ListedMessage, sent: OutgoingMessage): boolean {
  if (sent.markdown !== undefined ? listed.markdown !== sent.markdown : listed.text !== sent.text) return false;
  // A file cannot be compared by content: a message with a file matches a listed one with a file.
  if ((sent.file !== undefined) !== (listed.files !== undefined && listed.files.length > 0)) return false;
  const sentCard = sent.attachments?.[0]?.content;
  const listedCard = listed.attachments?.[0]?.content;
  return sentCard === undefined ? listedCard === undefined : JSON.stringify(listedCard) === JSON.stringify(sentCard);
}

/**
 * Whether `listed` (the newest `max` messages, newest first) holds every message posted since
 * `since`: the space has no more, or the oldest listed is older than that (less clock skew).
 */
function reachesBack(listed: readonly ListedMessage[], max: number, since: number): boolean {
  if (listed.length < max) return true;
  const oldest = listed.at(-1)?.created;
  return oldest !== undefined && Date.parse(oldest) < since - CLOCK_SKEW_MS;
}

/**
 * The bot's message with `message`'s content, thread and space, posted since `since` (epoch ms,
 * less clock skew) and not one of the messages `known` accounts for; `undefined` when provably
 * not there; `'unknown'` when the bot may not list the space, or when more messages were posted
 * since than it can look at.
 *
 * "Provably not there" needs every message since the POST: people go on writing while a reply
 * is in doubt, and the reply can be further back than the newest few. So the newest
 * {@link LOOK_BACK} are looked at first, then ten times as many, up to {@link LOOK_BACK_MOST},
 * until the listing reaches back past `since`.
 */
export async function findPostedReply(
  listRecent: ListRecent,
  botId: string,
  message: OutgoingMessage,
  since: number,
  known: (id: string) => boolean,
): Promise<ListedMessage | undefined | 'unknown'> {
  const { roomId } = message;
  // Sent to a person: the direct space's id is not known, so it cannot be looked at.
  if (roomId === undefined) return 'unknown';
  for (let max = LOOK_BACK; ; max = Math.min(max * 10, LOOK_BACK_MOST)) {
    let listed: ListedMessage[];
    try {
      listed = await listRecent(roomId, max);
    } catch {
      return 'unknown';
    }
    const found = listed.find(
      (m) =>
        m.personId === botId &&
        (m.parentId ?? undefined) === (message.parentId ?? undefined) &&
        !known(m.id) &&
        (m.created === undefined || Date.parse(m.created) >= since - CLOCK_SKEW_MS) &&
        sameContent(m, message),
    );
    if (found) return found;
    if (reachesBack(listed, max, since)) return undefined;
    if (max >= LOOK_BACK_MOST) return 'unknown';
  }
}
