/**
 * Echo load for the event benchmarks: `echo` messages written in direct spaces with a fixed
 * number in flight, each one's fire-to-reply time, and a check of the transcripts afterwards.
 *
 * A message is in flight from the emulator's `say()` until the bot's answer to it is created in
 * the emulator (seen with `emulator.onMessage`); an answer is matched to its message by the
 * message's id, which every echo answer quotes (the webhook JSON it shows holds it).
 */
import type { Emulator, Message } from '../../src/emulator/index.js';
import type { LoadSpace } from '../../test/scale/support/load.js';

/** What one load run found. */
export interface EchoRun {
  /** From the first message written to the last answer seen. */
  readonly seconds: number;
  /** Fire-to-reply time of each answered message. */
  readonly latenciesMs: readonly number[];
  /** The messages written, in the order they were written. */
  readonly sent: readonly Message[];
  /** Messages without an answer within the wait. */
  readonly unanswered: number;
}

/** Options for {@link sendEchoes}. */
export interface EchoLoadOptions {
  readonly messages: number;
  readonly inFlight: number;
  /** Goes into each message's text, to tell runs apart when reading a transcript. */
  readonly tag: string;
  readonly signal: AbortSignal;
  /** Longest wait for one answer before the message counts as unanswered (default 20 s). */
  readonly answerTimeoutMs?: number;
  /** Longest the whole run may take; past it the run fails (default 120 s). */
  readonly runTimeoutMs?: number;
  /** Checked while waiting: throws when the bot is gone, so a dead bot fails the run at once. */
  readonly alive?: () => void;
}

/** Long base64url tokens: the ids an answer quotes. */
const ID_PATTERN = /[A-Za-z0-9_-]{40,}/g;

/** The ids quoted in message `m`. */
export function idsQuoted(m: Message): string[] {
  return (m.markdown ?? m.text ?? '').match(ID_PATTERN) ?? [];
}

/**
 * Writes `messages` messages `echo <tag> <n>` in `spaces` (message n in space n mod count), with
 * `inFlight` of them awaiting their answer at any time, and resolves once each is answered or
 * given up on.
 */
export async function sendEchoes(
  emulator: Emulator,
  spaces: readonly LoadSpace[],
  options: EchoLoadOptions,
): Promise<EchoRun> {
  const answerTimeoutMs = options.answerTimeoutMs ?? 20_000;
  const deadline = performance.now() + (options.runTimeoutMs ?? 120_000);
  const answeredAt = new Map<string, number>();
  const waiting = new Map<string, () => void>();
  const off = emulator.onMessage((m) => {
    if (m.personId !== emulator.bot.id) return;
    const now = performance.now();
    for (const id of idsQuoted(m)) {
      if (answeredAt.has(id)) continue;
      answeredAt.set(id, now);
      waiting.get(id)?.();
    }
  });
  /** When `id`'s first answer was created, or undefined when none came within the wait. */
  const answerOf = async (id: string): Promise<number | undefined> => {
    const giveUpAt = Math.min(performance.now() + answerTimeoutMs, deadline);
    while (!answeredAt.has(id) && performance.now() < giveUpAt) {
      if (options.signal.aborted) throw new Error('aborted');
      options.alive?.();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(250, Math.max(0, giveUpAt - performance.now())));
        waiting.set(id, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      waiting.delete(id);
    }
    return answeredAt.get(id);
  };

  const sent: Message[] = [];
  const latenciesMs: number[] = [];
  let next = 0;
  let unanswered = 0;
  const started = performance.now();
  let lastAnswer = started;
  const worker = async (): Promise<void> => {
    while (next < options.messages) {
      if (performance.now() > deadline)
        throw new Error(
          `the run took longer than ${options.runTimeoutMs ?? 120_000} ms (${latenciesMs.length} of ${options.messages} answered)`,
        );
      const n = next++;
      const space = spaces[n % spaces.length]!;
      const fired = performance.now();
      const m = await emulator.say({
        personId: space.person.id,
        roomId: space.room.id,
        text: `echo ${options.tag} ${n}`,
      });
      sent[n] = m;
      const at = await answerOf(m.id);
      if (at === undefined) unanswered++;
      else {
        latenciesMs.push(at - fired);
        lastAnswer = Math.max(lastAnswer, at);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.inFlight }, worker));
  } finally {
    off();
  }
  return { seconds: (lastAnswer - started) / 1000, latenciesMs, sent, unanswered };
}

/** How the answers to a set of messages stand in the transcripts. */
export interface AnswerCheck {
  /** Messages with no answer. */
  readonly lost: number;
  /** Answers beyond the first, summed over the messages. */
  readonly doubled: number;
  /** Answers that came after the answer to a later message of the same space. */
  readonly outOfOrder: number;
}

/**
 * Reads each space's transcript: how many of the bot's answers quote each of `sent` (written in
 * that order), and whether, within a space, the answers came in the order of the messages.
 */
export function checkAnswers(emulator: Emulator, spaces: readonly LoadSpace[], sent: readonly Message[]): AnswerCheck {
  const order = new Map(sent.map((m, n) => [m.id, n]));
  const answers = new Map<string, number>();
  let outOfOrder = 0;
  for (const space of spaces) {
    let latest = -1;
    for (const m of emulator.transcript(space.room.id)) {
      if (m.personId !== emulator.bot.id) continue;
      for (const id of idsQuoted(m)) {
        const n = order.get(id);
        if (n === undefined) continue;
        const count = (answers.get(id) ?? 0) + 1;
        answers.set(id, count);
        if (count === 1 && n < latest) outOfOrder++;
        latest = Math.max(latest, n);
      }
    }
  }
  let lost = 0;
  let doubled = 0;
  for (const m of sent) {
    const count = answers.get(m.id) ?? 0;
    if (count === 0) lost++;
    else doubled += count - 1;
  }
  return { lost, doubled, outOfOrder };
}

/** Waits until the emulator has no webhook delivery pending (at most `timeoutMs`); true when none is. */
export async function deliveriesSettled(emulator: Emulator, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (emulator.deliveries().some((d) => d.state === 'pending')) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
