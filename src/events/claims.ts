/**
 * Where the embedded queue claims its events and writes down how each goes:
 * - in memory ({@link memoryClaims}): claims are forgotten on a restart, and an event acknowledged
 *   but not finished when the process dies is lost — for tests and embedders that ask for it;
 * - in the event journal in `STATE_DIR` ({@link journalClaims}, the default of `npm start`): an
 *   event is on disk before its 200, its claim survives a restart (a redelivery is not answered
 *   again), and one accepted but not finished is handled after the restart, once (see
 *   `docs/event-journal.md`).
 */
import type { Logger } from '../logging.js';
import { eventKey, type WebhookEnvelope } from '../protocol/envelope.js';
import type { ClaimResult, EventDeduper } from './dedupe.js';
import type { EventJournal } from './journal/index.js';
import type { ReplyJournal } from '../outbound/reply-journal.js';

/** Claims and the record of each event's handling (see the file's comment). */
export interface EventClaims {
  /**
   * Claims the event for `eventId`; resolves once the claim (and, journaled, the event) is safe.
   * `body`, when given, is the raw JSON `envelope` was parsed from (kept as it came).
   */
  claim(envelope: WebhookEnvelope, eventId: string, body?: Buffer): Promise<ClaimResult>;
  /**
   * A handling begins. Journaled, it is counted for the cap on attempts: on disk before the handler
   * runs when `durable` (an event taken up again after a restart: the one that may crash the
   * process every time), else with the next write (a first handling: no flush on its path).
   */
  started(eventId: string, durable: boolean): Promise<void>;
  /** Where the event's replies are written down as they go out (journaled), or nothing. */
  replies(eventId: string, log: Logger): ReplyJournal | undefined;
  /** The event is finished. */
  done(eventId: string): void;
}

/** Claims in memory (through the deduper's store). */
export function memoryClaims(dedupe: EventDeduper): EventClaims {
  return {
    claim: (envelope, eventId) => dedupe.claim(envelope, eventId),
    started: async () => undefined,
    replies: () => undefined,
    done: () => undefined,
  };
}

/**
 * Claims in the event journal.
 * @param onFailed told once when the journal can no longer write (the disk failed): events are refused from then on
 */
export function journalClaims(journal: EventJournal, onFailed: (err: unknown) => void = () => undefined): EventClaims {
  let told = false;
  return {
    claim: (envelope, eventId, body) =>
      journal.accept({ key: eventKey(envelope), eventId, envelope, body }).catch((err: unknown) => {
        if (journal.failed && !told) {
          told = true;
          onFailed(err);
        }
        throw err;
      }),
    started: (eventId, durable) => journal.started(eventId, { durable }),
    replies: (eventId, log) => journal.replyJournal(eventId, log),
    done: (eventId) => journal.done(eventId),
  };
}
