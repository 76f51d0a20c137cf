/**
 * The reply journal: with several instances, each reply of an event is written down in the
 * shared store as it goes out, so that an instance taking the event over (its first holder
 * died) knows whether it was already answered, and an instance that lost the event's space to
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
