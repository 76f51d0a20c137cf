/**
 * The {@link ReplyJournal} of one event on the shared queue: before each reply's POST, a fence
 * (this instance still holds the space and the event is still its head) and a note of the POST
 * under way; after it, the reply's id. An instance taking the event over reads them back
 * (`takeover.ts`).
 */
import type { Logger } from '../logging.js';
import { EventTakenOverError } from '../errors.js';
import type { PostingNote, ReplyJournal } from '../outbound/reply-journal.js';
import { FENCE, POSTED, type QueueKeys } from './queue-scripts.js';
import type { Redis } from './redis-client.js';
import { untilRedisAnswers } from './retry.js';

/** A reply POST under way, as written before it and read by a successor. */
/** How long the bot's recent reply ids are kept per space (they tell a successor which replies were recorded). */
export const SENT_KEEP_MS = 60 * 60 * 1000;

/** What a journal needs to know. */
export interface JournalContext {
  readonly client: Redis;
  readonly keys: QueueKeys;
  readonly instanceId: string;
  readonly room: string;
  readonly eventId: string;
  readonly leaseMs: number;
  readonly log: Logger;
  /** Longest wait for Redis, before a reply or after it (default 10 s). */
  readonly waitMs?: number;
}

/** Creates the journal of one event. */
export function redisReplyJournal(ctx: JournalContext): ReplyJournal {
  const waitMs = ctx.waitMs ?? 10_000;
  const { keys } = ctx;
  return {
    async beforePost(message) {
      const note: PostingNote = { message, at: Date.now() };
      const roomId = typeof message['roomId'] === 'string' ? message['roomId'] : ctx.room;
      let go: number;
      try {
        go = await untilRedisAnswers(
          () =>
            FENCE.run<number>(
              ctx.client,
              [keys.lease(ctx.room), keys.queue(ctx.room), keys.event(ctx.eventId)],
              [ctx.instanceId, ctx.eventId, ctx.leaseMs, JSON.stringify(note)],
            ),
          { maxMs: waitMs },
        );
      } catch (err) {
        // Without Redis the bot cannot know it still holds the space: not posting is the safe side.
        ctx.log.error(
          'reply not sent: Redis did not answer, so this instance cannot tell whether it still holds the space',
          { roomId, err },
        );
        throw new EventTakenOverError(roomId);
      }
      if (go !== 1) {
        ctx.log.warn('reply not sent: another instance has taken this space over', { roomId });
        throw new EventTakenOverError(roomId);
      }
    },
    async posted(messageId) {
      try {
        await untilRedisAnswers(
          () =>
            POSTED.run(
              ctx.client,
              [keys.event(ctx.eventId), keys.sent(ctx.room)],
              [messageId, Date.now(), SENT_KEEP_MS],
            ),
          { maxMs: waitMs },
        );
      } catch (err) {
        ctx.log.error(
          'a reply was posted but could not be recorded in Redis (an instance taking this event over checks Webex instead)',
          { messageId, err },
        );
      }
    },
  };
}
