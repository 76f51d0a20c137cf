/**
 * The bot's clock: what scheduled jobs, pending questions, confirmations and reminders read the
 * time from and wait on. The system clock in production; tests hand a controllable one in
 * through `BotTuning.clock` (`ManualClock` in `src/testing/`), so that a job due at 09:30 runs
 * at 09:30 without a test waiting for real minutes.
 */

/** A source of the time that can call back at a given time. */
export interface Clock {
  /** The time now, in epoch milliseconds. */
  now(): number;
  /**
   * Calls `fn` once, when the clock reads `time` (epoch ms) or later; the returned function
   * cancels it.
   */
  at(time: number, fn: () => void): () => void;
}

/** Longest a single timer may wait (Node clamps larger delays to 1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** A wait is split into steps of at most this, so that a clock set forward or back is noticed. */
const STEP_MS = 60 * 60_000;

/**
 * The system clock: `Date.now()` and timers that do not keep the process alive. A long wait is
 * made of steps of at most an hour, re-checked against `Date.now()`, so a timer that fired early
 * (a clock set back) waits on, and the wait never exceeds what a Node timer can hold.
 *
 * @example
 * const cancel = systemClock.at(Date.parse('2030-01-01T09:30:00Z'), () => console.log('09:30'));
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  at(time, fn) {
    let timer: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = (): void => {
      if (cancelled) return;
      const wait = time - Date.now();
      if (wait <= 0) {
        fn();
        return;
      }
      timer = setTimeout(arm, Math.min(wait, STEP_MS, MAX_TIMER_MS));
      timer.unref();
    };
    arm();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  },
};
