/**
 * A recovered event as the takeover decision (`src/scale/takeover.ts`) reads an earlier holder's
 * record: the same rules decide, after a restart, whether an event is handled again.
 */
import type { EarlierAttempts } from '../takeover.js';
import type { PendingEvent } from './journal-state.js';

/**
 * What the process that stopped left of `event`, for `decideTakeover`.
 * @example
 * const verdict = await decideTakeover(earlierAttempts(recovered.pending[0]), deps);
 */
export function earlierAttempts(event: PendingEvent): EarlierAttempts {
  return {
    attempts: event.attempts,
    posting: event.posting ? JSON.stringify({ message: event.posting.message, at: event.posting.since }) : '',
    replies: event.replies.length,
  };
}
