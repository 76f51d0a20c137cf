/**
 * A clock that moves only when a test moves it: hand it to the bot (`BotTuning.clock`, or
 * `startTestBot({ clock })`), then `set` it to 09:30 and the jobs due by then run, at once.
 */
import type { Clock } from '../schedule/clock.js';

/** A time as a test writes it: an ISO string, a Date, or epoch milliseconds. */
export type ClockTime = string | Date | number;

function epoch(time: ClockTime): number {
  const ms = typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : time.getTime();
  if (Number.isNaN(ms)) throw new TypeError(`not a time: ${String(time)}`);
  return ms;
}

interface Waiting {
  readonly time: number;
  readonly fn: () => void;
  readonly order: number;
}

/**
 * A controllable {@link Clock}.
 *
 * @example
 * const clock = new ManualClock('2030-03-04T09:29:00Z');
 * const t = await startTestBot({ clock });
 * clock.set('2030-03-04T09:30:00Z'); // the 09:30 jobs run now
 */
export class ManualClock implements Clock {
  private current: number;
  private waiting: Waiting[] = [];
  private order = 0;

  constructor(start: ClockTime) {
    this.current = epoch(start);
  }

  now(): number {
    return this.current;
  }

  at(time: number, fn: () => void): () => void {
    const entry: Waiting = { time, fn, order: this.order++ };
    if (time <= this.current) {
      queueMicrotask(() => {
        if (this.waiting.includes(entry)) this.fire(entry);
      });
    }
    this.waiting.push(entry);
    return () => {
      this.waiting = this.waiting.filter((w) => w !== entry);
    };
  }

  /** Moves the clock to `time` (never back) and calls what was due by then, earliest first. */
  set(time: ClockTime): void {
    const to = epoch(time);
    if (to < this.current)
      throw new RangeError(`the clock does not go back (now ${new Date(this.current).toISOString()})`);
    this.current = to;
    for (;;) {
      const due = this.waiting.filter((w) => w.time <= to).sort((a, b) => a.time - b.time || a.order - b.order)[0];
      if (!due) return;
      this.fire(due);
    }
  }

  /** Moves the clock forward by `ms`. */
  advance(ms: number): void {
    this.set(this.current + ms);
  }

  /** How many callbacks wait (for tests of the tests). */
  get pending(): number {
    return this.waiting.length;
  }

  private fire(entry: Waiting): void {
    this.waiting = this.waiting.filter((w) => w !== entry);
    entry.fn();
  }
}
