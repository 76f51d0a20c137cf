/**
 * Pending questions: a handler asks a person something (`ask`), and that person's next message in
 * that space goes to the skill's named answer handler, before any command matching. The question
 * is a record in the state store, keyed by space and person — no promise is held open — so it
 * survives a restart and any instance takes the answer; events of one space run one at a time,
 * so the answer is handled once.
 *
 * The record says when it expires, on the bot's clock; the store forgets it a minute after that.
 * Once expired, the person's next message is an ordinary one again.
 */
import type { Clock } from '../schedule/clock.js';
import type { KeyValueStore } from '../store/types.js';
import { isRecord } from '../util/is-record.js';

/** How long a question waits by default. */
export const DEFAULT_QUESTION_TIMEOUT_MS = 10 * 60_000;
/** The word that gets a person out of a question. */
export const CANCEL_WORD = 'cancel';

/** A question waiting for its answer. */
export interface PendingQuestion {
  readonly skill: string;
  /** The name of the skill's answer handler. */
  readonly answer: string;
  readonly question: string;
  readonly data: unknown;
  /** When it was asked and when it stops waiting (epoch ms, the bot's clock). */
  readonly askedAt: number;
  readonly expiresAt: number;
}

/** Who a question waits for. */
export interface Asked {
  readonly spaceId: string;
  readonly personId: string;
}

const keyOf = ({ spaceId, personId }: Asked): string => `question:${spaceId}:${personId}`;

function isPending(value: unknown): value is PendingQuestion {
  return (
    isRecord(value) &&
    typeof value['skill'] === 'string' &&
    typeof value['answer'] === 'string' &&
    typeof value['expiresAt'] === 'number'
  );
}

/** The pending questions, in a store. */
export class PendingQuestions {
  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
  ) {}

  /**
   * Records a question for `who` (replacing one they had). `data` must be JSON data.
   * @throws {TypeError} for a timeout that is not a positive number.
   */
  async ask(
    who: Asked,
    question: Omit<PendingQuestion, 'askedAt' | 'expiresAt'>,
    timeoutMs = DEFAULT_QUESTION_TIMEOUT_MS,
  ): Promise<void> {
    if (!(typeof timeoutMs === 'number' && timeoutMs > 0 && Number.isFinite(timeoutMs)))
      throw new TypeError(`ask(): timeoutMs must be a positive number of milliseconds (got ${String(timeoutMs)})`);
    const askedAt = this.clock.now();
    const record: PendingQuestion = { ...question, askedAt, expiresAt: askedAt + timeoutMs };
    await this.store.set(keyOf(who), record, { ttlMs: timeoutMs + 60_000 });
  }

  /**
   * Takes `who`'s question, if one is waiting: it is removed (an answer is handled once) and
   * returned. An expired one is removed and `undefined` is returned.
   */
  async take(who: Asked): Promise<PendingQuestion | undefined> {
    const key = keyOf(who);
    const record = await this.store.get(key);
    if (record === undefined) return undefined;
    const removed = await this.store.delete(key);
    if (!removed || !isPending(record) || record.expiresAt <= this.clock.now()) return undefined;
    return record;
  }
}

/** True when `text` is the way out of a question. */
export function isCancel(text: string): boolean {
  return text.trim().toLowerCase() === CANCEL_WORD;
}
