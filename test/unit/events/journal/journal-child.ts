/**
 * A process using a journal, for the tests that need a real one (killed with SIGKILL, or holding
 * the folder's lock). `node --import tsx journal-child.ts <mode> <dir> [count]`:
 * - `hold`: opens the journal, prints `ready`, and waits to be killed;
 * - `accept-and-die`: accepts `count` events at once and, the moment all have resolved, prints
 *   `accepted <count>` and kills itself with SIGKILL (nothing closed, nothing flushed after);
 * - `stream`: accepts events without end, 20 at a time, printing `ok <eventId>` as each resolves.
 */
import { EventJournal } from '../../../../src/events/journal/index.js';
import { input } from './support.js';

const [mode, dir, count] = process.argv.slice(2);
const { journal } = await EventJournal.open(dir!);

if (mode === 'hold') {
  process.stdout.write('ready\n');
  setInterval(() => undefined, 60_000);
} else if (mode === 'accept-and-die') {
  const n = Number(count);
  await Promise.all(Array.from({ length: n }, (_, i) => journal.accept(input(i, `room-${i % 7}`))));
  process.stdout.write(`accepted ${n}\n`); // a pipe: written synchronously on Linux
  process.kill(process.pid, 'SIGKILL');
} else if (mode === 'stream') {
  let next = 0;
  const one = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      await journal.accept(input(i));
      process.stdout.write(`ok ev-${i}\n`);
    }
  };
  await Promise.all(Array.from({ length: 20 }, one));
} else {
  throw new Error(`unknown mode ${mode}`);
}
