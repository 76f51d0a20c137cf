/**
 * Load for the several-instances tests and the benchmark: direct spaces with people of their
 * own, messages `say <space>-<n>` sent to them, and reading back what the bot answered.
 */
import type { Emulator, Message, Room, SeedPerson } from '../../../src/emulator/index.js';

/** One space with the person who writes in it. */
export interface LoadSpace {
  readonly index: number;
  readonly room: Room;
  readonly person: SeedPerson;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Creates `count` direct spaces, each a new person and the bot. */
export function createDirectSpaces(emulator: Emulator, count: number, tag = 'load'): LoadSpace[] {
  return Array.from({ length: count }, (_, index) => {
    const person = emulator.createPerson({
      displayName: `${tag} person ${index}`,
      email: `${tag}-${index}-${Date.now()}@example.com`,
    });
    const room = emulator.createRoom({ type: 'direct', memberIds: [person.id, emulator.bot.id] });
    return { index, room, person };
  });
}

/** The text of message `n` of space `s`. */
export const loadText = (s: number, n: number): string => `say s${s}-m${n}`;

/** Tracks which events' first deliveries have been answered 200 (by whichever instance). */
export function trackAnswered(emulator: Emulator): {
  waitFor(dataId: string, timeoutMs?: number): Promise<void>;
  stop(): void;
} {
  const answered = new Set<string>();
  const waiters = new Map<string, () => void>();
  const stop = emulator.onEvent((e) => {
    if (e.kind !== 'delivery' || e.state !== 'delivered') return;
    answered.add(e.dataId);
    waiters.get(e.dataId)?.();
  });
  return {
    stop,
    async waitFor(dataId, timeoutMs = 60_000) {
      if (answered.has(dataId)) return;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`the delivery of ${dataId} was not answered within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.set(dataId, () => {
          clearTimeout(timer);
          waiters.delete(dataId);
          resolve();
        });
      });
    },
  };
}

/**
 * Sends `perSpace` messages in every space, all spaces at once. Within a space, message n+1 is
 * sent once a delivery of message n has been answered (when `waitForAnswer`), so the order the
 * bot took them in is the order they were written; `onSent` is told after each.
 */
export async function sendLoad(
  emulator: Emulator,
  spaces: readonly LoadSpace[],
  perSpace: number,
  options: { waitForAnswer: boolean; onSent?: (total: number) => Promise<void> | void },
): Promise<Message[][]> {
  const tracker = options.waitForAnswer ? trackAnswered(emulator) : undefined;
  let total = 0;
  try {
    return await Promise.all(
      spaces.map(async (space) => {
        const sent: Message[] = [];
        for (let n = 0; n < perSpace; n++) {
          const m = await emulator.say({
            personId: space.person.id,
            roomId: space.room.id,
            text: loadText(space.index, n),
          });
          sent.push(m);
          await tracker?.waitFor(m.id);
          total++;
          await options.onSent?.(total);
        }
        return sent;
      }),
    );
  } finally {
    tracker?.stop();
  }
}

/** The bot's answers in `space`, oldest first. */
export function answersIn(emulator: Emulator, space: LoadSpace): Message[] {
  return emulator.transcript(space.room.id).filter((m) => m.personId === emulator.bot.id);
}

/** Waits until every space has at least `perSpace` answers (rejects after `timeoutMs`, saying how many are missing). */
export async function waitForAnswers(
  emulator: Emulator,
  spaces: readonly LoadSpace[],
  perSpace: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const missing = spaces.reduce((sum, s) => sum + Math.max(0, perSpace - answersIn(emulator, s).length), 0);
    if (missing === 0) return;
    if (Date.now() > deadline) throw new Error(`${missing} answers still missing after ${timeoutMs} ms`);
    await pause(100);
  }
}

/** For each answer in `space`, the message number it answers (`got s<s>-m<n> (...)` → n). */
export function answeredNumbers(emulator: Emulator, space: LoadSpace): number[] {
  return answersIn(emulator, space).map((m) => {
    const match = /got s(\d+)-m(\d+) /.exec(m.markdown ?? m.text ?? '');
    return match && Number(match[1]) === space.index ? Number(match[2]) : -1;
  });
}
