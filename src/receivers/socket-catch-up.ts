/**
 * Catching up after a gap in the event socket. Webex pushes nothing again: messages sent to the
 * bot while its socket was down would be lost. So once the socket is open again, the spaces
 * active since the gap began are listed (the most recently active first), and in each the
 * messages to the bot since then — all of them in a direct space, those that mention it in a group
 * space (the only ones Webex lets a bot list there) — are turned into the webhook envelope Webex
 * would have sent and handed to the intake, oldest first. The intake claims each by its identity,
 * as it claims socket events: a message already handled is not answered twice, and nothing older
 * than the gap is looked at.
 *
 * Card submissions cannot be listed (Webex has no such list): one sent during a gap is lost, and
 * the person presses the button again.
 */
import type { Logger } from '../logging.js';
import type { WebhookEnvelope } from '../protocol/envelope.js';
import type { WebexMessage } from '../protocol/rest.js';
import type { SocketGap, WebexApi } from '../webex/index.js';

/** Spaces looked at, at most, by their last activity. */
const MAX_SPACES = 100;
/** Messages looked at, at most, per space. */
const MAX_MESSAGES = 50;

/** What a catch-up found. */
export interface CatchUpResult {
  readonly spaces: number;
  readonly messages: number;
}

const at = (iso: string | undefined): number => (iso === undefined ? Number.NaN : Date.parse(iso));

/**
 * The envelope Webex would have POSTed for `message`, as the socket would have carried it: a field
 * Webex would leave out stays out (skills see the envelope as `event.payload`).
 */
function envelopeOf(message: WebexMessage, roomType: string, source: { id: string; name: string }): WebhookEnvelope {
  return {
    id: source.id,
    name: source.name,
    resource: 'messages',
    event: 'created',
    actorId: message.personId,
    data: {
      id: message.id,
      roomId: message.roomId,
      roomType,
      personId: message.personId,
      ...(message.personEmail ? { personEmail: message.personEmail } : {}),
      ...(message.mentionedPeople ? { mentionedPeople: message.mentionedPeople } : {}),
      ...(message.created ? { created: message.created } : {}),
    },
  };
}

/**
 * Looks for the messages sent to the bot during `gap` and hands each to `onEnvelope`, oldest first.
 * Never rejects: what could not be listed is logged.
 */
export async function catchUp(
  gap: SocketGap,
  deps: {
    readonly api: Pick<WebexApi, 'listRooms' | 'listMessages'>;
    readonly botId: string;
    readonly source: { id: string; name: string };
    readonly onEnvelope: (envelope: WebhookEnvelope) => Promise<void>;
    readonly log: Logger;
  },
): Promise<CatchUpResult> {
  const { api, log } = deps;
  let rooms: Awaited<ReturnType<WebexApi['listRooms']>>;
  try {
    rooms = (await api.listRooms(MAX_SPACES)).filter((r) => !(at(r.lastActivity) < gap.from));
  } catch (err) {
    log.warn('could not look for messages sent while the event socket was down', { err });
    return { spaces: 0, messages: 0 };
  }
  const found: Array<{ message: WebexMessage; roomType: string }> = [];
  for (const room of rooms) {
    try {
      const listed = await api.listMessages(room.id, MAX_MESSAGES, { mentionedMe: room.type === 'group' });
      const inGap = listed.filter((m) => m.personId !== deps.botId && at(m.created) >= gap.from);
      if (inGap.length === MAX_MESSAGES)
        log.warn('more messages than looked at were sent during the socket gap', { roomId: room.id });
      for (const message of inGap) found.push({ message, roomType: room.type });
    } catch (err) {
      log.warn('could not look for messages sent while the event socket was down', { roomId: room.id, err });
    }
  }
  found.sort((a, b) => at(a.message.created) - at(b.message.created));
  for (const { message, roomType } of found) await deps.onEnvelope(envelopeOf(message, roomType, deps.source));
  log.info('looked for messages sent while the event socket was down', {
    from: new Date(gap.from).toISOString(),
    spaces: rooms.length,
    messages: found.length,
  });
  return { spaces: rooms.length, messages: found.length };
}
