/**
 * Taking an event over from an instance that stopped while handling it: handle it again only
 * when it was provably not answered.
 *
 * What the first holder left in the event's record (`redis-journal.ts`) decides:
 * - no reply recorded and no POST under way: it stopped before answering → handle it again;
 * - a reply recorded (and nothing under way): answered → not again (a reply cut short after its
 *   first message is not completed, rather than repeated);
 * - a POST under way with no reply recorded: it stopped between Webex accepting the POST and the
 *   record, or before Webex had it. Once that POST cannot land any more (its start plus one
 *   Webex call timeout), the space's newest messages are asked for a bot message with that
 *   content that no recorded reply accounts for: found → answered (and now recorded); provably
 *   not there → handle again. In a group space Webex does not let a bot list the space, so the
 *   event is not handled again and an error is logged (a reply may be missing, never doubled).
 * - handled too often already (each holder stopped while on it): dropped with an error, so one
 *   poisonous event cannot stop every instance in turn.
 */
import type { Logger } from '../logging.js';
import type { PostingNote } from '../outbound/reply-journal.js';

/** Asks Webex whether `message` was posted since `since`: the message's id, `undefined` (provably not), or `'unknown'` (cannot tell). */
export type FindPosted = (
  message: Readonly<Record<string, unknown>>,
  since: number,
  known: ReadonlySet<string>,
) => Promise<{ id: string } | undefined | 'unknown'>;

/** What an earlier holder left. */
export interface EarlierAttempts {
  /** Handlings started before this one. */
  readonly attempts: number;
  /** The POST under way when it stopped, as JSON ('' for none). */
  readonly posting: string;
  /** Replies it recorded. */
  readonly replies: number;
}

/** What {@link decideTakeover} needs. */
export interface TakeoverDeps {
  readonly findPosted: FindPosted;
  /** The space's recorded reply ids. */
  readonly recordedReplies: () => Promise<ReadonlySet<string>>;
  /** Records a reply found posted. */
  readonly recordPosted: (messageId: string) => Promise<void>;
  /** How long a POST may still land after it started (one Webex call's timeout). */
  readonly inDoubtMs: number;
  /** Handlings after which an event is dropped. */
  readonly maxAttempts: number;
  readonly log: Logger;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Whether to handle a taken-over event. */
export type TakeoverVerdict = { readonly handle: true } | { readonly handle: false; readonly reason: string };

function parseNote(json: string): PostingNote | undefined {
  try {
    const note = JSON.parse(json) as PostingNote;
    return typeof note?.at === 'number' && typeof note.message === 'object' ? note : undefined;
  } catch {
    return undefined;
  }
}

/** Decides whether an event an earlier holder started is handled again (see the module comment). */
export async function decideTakeover(earlier: EarlierAttempts, deps: TakeoverDeps): Promise<TakeoverVerdict> {
  const { log } = deps;
  if (earlier.attempts === 0) return { handle: true };
  if (earlier.attempts >= deps.maxAttempts) {
    log.error('event dropped: every instance that handled it stopped while on it', { attempts: earlier.attempts });
    return { handle: false, reason: 'given up' };
  }
  const note = earlier.posting === '' ? undefined : parseNote(earlier.posting);
  if (!note) {
    if (earlier.replies > 0) {
      log.info('event taken over: it was already answered, not answering again', {
        attempts: earlier.attempts,
        replies: earlier.replies,
      });
      return { handle: false, reason: 'already answered' };
    }
    log.info('event taken over: its first holder stopped before answering, handling it here', {
      attempts: earlier.attempts,
    });
    return { handle: true };
  }
  const wait = note.at + deps.inDoubtMs - Date.now();
  if (wait > 0) await (deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))))(wait);
  const found = await deps.findPosted(note.message, note.at, await deps.recordedReplies());
  if (found === 'unknown') {
    log.error(
      'event taken over in the middle of a reply that Webex does not let the bot check (a group space): not answering again, a reply may be missing',
      { attempts: earlier.attempts },
    );
    return { handle: false, reason: 'cannot check' };
  }
  if (found !== undefined) {
    await deps.recordPosted(found.id);
    log.info('event taken over: its reply had reached Webex, not answering again', {
      attempts: earlier.attempts,
      messageId: found.id,
    });
    return { handle: false, reason: 'already answered' };
  }
  if (earlier.replies > 0) {
    log.info('event taken over: it was answered in part, not answering again', {
      attempts: earlier.attempts,
      replies: earlier.replies,
    });
    return { handle: false, reason: 'already answered' };
  }
  log.info('event taken over: its reply never reached Webex, handling it here', { attempts: earlier.attempts });
  return { handle: true };
}
