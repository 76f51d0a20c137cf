/**
 * The event journal's coded errors. They live here until the codes join `ErrorCode` in
 * `src/errors.ts` (the class then moves there unchanged).
 */
import { BotError, type ErrorCode } from '../../errors.js';

/** Every code a {@link JournalError} can carry. */
export type JournalErrorCode =
  /** The journal file holds a damaged record before valid ones, or is not a journal: nothing was changed. */
  | 'JOURNAL_CORRUPT'
  /** Another live process has the state folder. */
  | 'JOURNAL_LOCKED'
  /** A write or flush failed: what is on disk is unknown until the journal is opened again. */
  | 'JOURNAL_FAILED'
  /** The journal was closed. */
  | 'JOURNAL_CLOSED'
  /** A call that breaks the API's contract (an unknown event id, an id accepted twice). */
  | 'JOURNAL_MISUSE';

/**
 * An error of the event journal; `file` names the file concerned.
 * @example
 * try { await EventJournal.open('data'); } catch (err) {
 *   if (err instanceof JournalError && err.code === 'JOURNAL_LOCKED') process.exit(1);
 * }
 */
export class JournalError extends BotError {
  readonly file: string;
  constructor(code: JournalErrorCode, file: string, message: string, options?: { cause?: unknown }) {
    // The codes are not in ErrorCode yet (see the module comment).
    super(code as unknown as ErrorCode, message, options);
    this.file = file;
  }
}
