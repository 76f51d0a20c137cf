/**
 * The reply journal: where the outbox writes down each reply of an event as it goes out — in the
 * shared store with several instances (`src/scale/redis-journal.ts`), in the event journal with
 * one (`src/events/journal/`) — so that whoever takes the event up again after a crash or a
 * takeover knows whether it was answered, and an instance that lost the event's space to
 * another no longer answers it.
 */

/** A reply POST under way, as written down before it goes out: what it posts, and when it started. */
export interface PostingNote {
  readonly message: Readonly<Record<string, unknown>>;
  /** When the POST started (epoch ms, the poster's clock). */
  readonly at: number;
}

/** Where one event's replies are written down. */
export interface ReplyJournal {
  /**
   * Called before each POST of a reply, with the message to post: records that a POST is under
   * way (with what it posts, so that a successor can look for it in Webex).
   * @throws {EventTakenOverError} when this instance may no longer answer the event.
   */
  beforePost(message: Readonly<Record<string, unknown>>): Promise<void>;
  /** Called once Webex has the reply (posted, or found posted after a failure). Never rejects. */
  posted(messageId: string): Promise<void>;
}
