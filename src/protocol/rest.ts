/**
 * The shapes of the Webex REST resources the bot reads (`GET /messages/{id}`,
 * `GET /attachment/actions/{id}`, `GET /people/{id}`), as Webex's API reference gives them.
 * Only the fields the bot uses are named; Webex may add others.
 */

/** A message (`GET /messages/{id}`). */
export interface WebexMessage {
  readonly id: string;
  readonly roomId: string;
  readonly roomType?: string;
  /** The thread's root message, for a reply in a thread. */
  readonly parentId?: string | undefined;
  readonly personId: string;
  readonly personEmail?: string;
  readonly text?: string;
  readonly markdown?: string;
  readonly html?: string;
  readonly mentionedPeople?: readonly string[];
  /** Content URLs of the files attached (one per message when the bot sends). */
  readonly files?: readonly string[];
  readonly attachments?: ReadonlyArray<{ readonly contentType?: string; readonly content?: unknown }>;
  readonly created?: string;
  readonly updated?: string;
  readonly [key: string]: unknown;
}

/** A card submission (`GET /attachment/actions/{id}`); `inputs` are the submitter's, untrusted. */
export interface WebexAttachmentAction {
  readonly id: string;
  readonly type: string;
  readonly messageId: string;
  readonly inputs?: Readonly<Record<string, unknown>>;
  readonly personId: string;
  readonly roomId: string;
  readonly created?: string;
  readonly [key: string]: unknown;
}

/** A person (`GET /people/{id}`). */
export interface WebexPerson {
  readonly id: string;
  readonly emails?: readonly string[];
  readonly displayName?: string;
  readonly firstName?: string;
  /** `person` or `bot`. */
  readonly type?: string;
  readonly [key: string]: unknown;
}

/** A space (`GET /rooms`). */
export interface WebexRoom {
  readonly id: string;
  readonly title?: string;
  /** `direct` or `group`. */
  readonly type: string;
  /** When the space last had activity (ISO 8601). */
  readonly lastActivity?: string;
  readonly [key: string]: unknown;
}
