/**
 * The outbox: how every message of the bot reaches Webex — skill replies, apologies, refusals.
 *
 * - **In order**: one message at a time per space, so replies arrive as they were written.
 * - **Never twice**: the governor under the SDK never retries a POST that may have reached Webex.
 *   When one fails that way (5xx, reset, timeout), the outbox looks at the space's newest
 *   messages: if the reply is there, it was posted and counts as sent; if it provably is not,
 *   it is sent again. Where the bot cannot look (group spaces: Webex lets bots list only the
 *   messages that mention them), it is not sent again ({@link ReplyUncertainError}).
 * - **A loop breaker**: a per-space reply rate ({@link ReplyRateLimiter}); over it, messages are
 *   held back with one warning per episode.
 * - **Refusals named**: a 400 becomes a {@link ReplyRefusedError} with Webex's reason.
 * - **Edits and deletes** of the bot's messages go in the same per-space order (not counted in
 *   the reply rate: they add no message). A delete of a message already gone counts as done.
 * - **Files** are posted as Webex takes them (one per message, `multipart/form-data`); what is
 *   written down before the POST names the file, not its bytes.
 *
 * A message to a person (`toPersonEmail`/`toPersonId`: a proactive send) is queued and
 * rate-limited under the person ({@link destinationKey}), as its direct space's id is not known
 * before Webex answers; a failed POST to a person cannot be looked for, so it is never sent again.
 */
import type { ReplyJournal } from './reply-journal.js';
import type { Logger } from '../logging.js';
import type { ReplyRateLimiter } from '../policy/reply-rate.js';
import { ReplyRefusedError, ReplySuppressedError, ReplyUncertainError } from '../errors.js';
import type { MessageEdit, Outbox, OutgoingMessage, PostedMessage } from '../routing/inbound.js';
import { KeyedSerialQueue } from '../util/keyed-queue.js';
import { classifyFailure } from '../calls/failure.js';
import { backoffWait } from '../calls/retry-after.js';
import { findPostedReply, type ListRecent } from './find-posted.js';
import type { SentMessageLedger } from './sent-messages.js';
import { webexReason } from '../calls/failure.js';

/** The SDK calls the outbox makes. */
export interface OutboxWebex {
  /**
   * `POST /messages` (with its `file`, when it has one): resolves with the message Webex created
   * (its `roomId` too, when given).
   */
  create(message: OutgoingMessage): Promise<{ id: string; roomId?: string | undefined }>;
  edit(messageId: string, roomId: string, content: MessageEdit): Promise<{ id: string }>;
  remove(messageId: string): Promise<void>;
  /** The newest messages of a space (rejects where the bot may not list them). */
  listRecent: ListRecent;
}

/** What the outbox needs. */
export interface OutboxDeps {
  readonly webex: OutboxWebex;
  readonly ledger: SentMessageLedger;
  readonly rate: ReplyRateLimiter;
  readonly botId: () => string;
  /** Sends again after a checked "not posted" (default 2). */
  readonly maxResends?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * The outbox of one bot; `forEvent` gives the view one event's handler uses (its log lines carry
 * the event id; with a shared queue, `journal` fences and records each of its replies).
 */
export interface BotOutbox {
  forEvent(log: Logger, journal?: ReplyJournal): Outbox;
}

/**
 * The queue (and reply-rate) key of a message: its space, or the person it goes to.
 * @example destinationKey({ toPersonEmail: 'Alice@Example.com', text: 'hi' }) // 'person:alice@example.com'
 */
export function destinationKey(message: OutgoingMessage): string {
  if (message.roomId !== undefined) return message.roomId;
  if (message.toPersonEmail !== undefined) return `person:${message.toPersonEmail.toLowerCase()}`;
  if (message.toPersonId !== undefined) return `person:${message.toPersonId}`;
  throw new TypeError('a message needs a roomId, a toPersonEmail or a toPersonId');
}

/** What a send resolves with: the message's id and, when Webex said, its space. */
type Posted = { id: string; roomId?: string | undefined };

/** A message as written down before its POST: a file by its name, type and size (not its bytes). */
function noted(message: OutgoingMessage): Record<string, unknown> {
  const { file, ...rest } = message;
  return file ? { ...rest, file: { name: file.name, type: file.type, size: file.size } } : { ...rest };
}

/** The outbox of one bot (see the file's comment). */
class SerialOutbox implements BotOutbox {
  private readonly queue = new KeyedSerialQueue();
  private readonly maxResends: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: OutboxDeps) {
    this.maxResends = deps.maxResends ?? 2;
    this.sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  }

  forEvent(log: Logger, journal?: ReplyJournal): Outbox {
    return {
      send: (message) => this.send(message, log, journal),
      edit: (messageId, roomId, content) => this.edit(messageId, roomId, content),
      remove: (messageId, roomId) => this.remove(messageId, roomId),
    };
  }

  /** In the space's turn: edits a message of the bot's; a 400 is a {@link ReplyRefusedError} (the caller reposts). */
  private edit(messageId: string, roomId: string, content: MessageEdit): Promise<PostedMessage> {
    return this.queue.run(roomId, async () => {
      try {
        const edited = await this.deps.webex.edit(messageId, roomId, content);
        return { id: edited.id };
      } catch (err) {
        const failure = classifyFailure(err);
        if (failure.kind === 'final' && failure.status === 400)
          throw new ReplyRefusedError(webexReason(err), { cause: err });
        throw err;
      }
    });
  }

  /** In the space's turn: deletes a message of the bot's (already gone: done). */
  private remove(messageId: string, roomId: string): Promise<void> {
    return this.queue.run(roomId, async () => {
      try {
        await this.deps.webex.remove(messageId);
      } catch (err) {
        const failure = classifyFailure(err);
        if (!(failure.kind === 'final' && failure.status === 404)) throw err;
      }
      this.deps.ledger.forget(messageId);
    });
  }

  /** In the space's turn, and within its reply rate: posts `message`. */
  private send(message: OutgoingMessage, log: Logger, journal: ReplyJournal | undefined): Promise<Posted> {
    const key = destinationKey(message);
    return this.queue.run(key, async () => {
      const verdict = this.deps.rate.take(key);
      if (verdict !== 'allowed') {
        if (verdict === 'limited-first')
          log.warn('space over the reply rate limit: holding replies back (a loop between bots?)', {
            roomId: key,
          });
        throw new ReplySuppressedError(key);
      }
      return this.post(message, log, journal);
    });
  }

  /** Posts `message`, and again while a failed POST is found not to have posted it (up to `maxResends`). */
  private async post(message: OutgoingMessage, log: Logger, journal: ReplyJournal | undefined): Promise<Posted> {
    for (let resends = 0; ; resends++) {
      // With a shared queue: only while this instance still holds the event, and written down first.
      await journal?.beforePost(noted(message));
      const since = Date.now();
      try {
        return await this.postOnce(message, journal);
      } catch (err) {
        const found = await this.afterFailure(err, { message, since, resends }, log, journal);
        if (found) return found;
      }
    }
  }

  private async postOnce(message: OutgoingMessage, journal: ReplyJournal | undefined): Promise<Posted> {
    const sent = await this.deps.webex.create(message);
    const roomId = message.roomId ?? sent.roomId;
    this.deps.ledger.remember({ id: sent.id, roomId, parentId: message.parentId, attachments: message.attachments });
    await journal?.posted(sent.id);
    return roomId === undefined ? { id: sent.id } : { id: sent.id, roomId };
  }

  /**
   * After a failed POST: the reply when it was posted after all, or `undefined` (after a wait)
   * when it provably was not and is to be sent again. Throws when it must not be sent again.
   */
  private async afterFailure(
    err: unknown,
    attempt: { readonly message: OutgoingMessage; readonly since: number; readonly resends: number },
    log: Logger,
    journal: ReplyJournal | undefined,
  ): Promise<Posted | undefined> {
    const { deps } = this;
    const { message, since, resends } = attempt;
    const failure = classifyFailure(err);
    if (failure.kind === 'final' && failure.status === 400)
      throw new ReplyRefusedError(webexReason(err), { cause: err });
    if (failure.kind !== 'transient') throw err;
    const found = await findPostedReply(deps.webex.listRecent, deps.botId(), message, since, (id) =>
      deps.ledger.knows(id),
    );
    if (found !== undefined && found !== 'unknown') {
      deps.ledger.remember(found);
      await journal?.posted(found.id);
      log.info('a reply whose answer was lost had been posted: not sending it again', {
        roomId: message.roomId,
        messageId: found.id,
        failure: failure.reason,
      });
      return { id: found.id, roomId: message.roomId };
    }
    if (found === 'unknown') throw new ReplyUncertainError(destinationKey(message), { cause: err });
    if (resends >= this.maxResends) throw err;
    const waitMs = backoffWait(resends + 1, { initialMs: 500, maxMs: 4000 });
    log.warn('a reply was not posted (checked after the failure): sending it again', {
      roomId: message.roomId,
      failure: failure.reason,
      waitMs,
    });
    await this.sleep(waitMs);
    return undefined;
  }
}

/** Creates the outbox. */
export function createOutbox(deps: OutboxDeps): BotOutbox {
  return new SerialOutbox(deps);
}
