/**
 * Cron expressions, read by `croner` (no dependencies, IANA time zones with daylight-saving
 * rules, 5- or 6-field expressions, maintained): it is only asked *when* the next and previous
 * ticks are; the scheduler (`scheduler.ts`) does the waiting, on the bot's clock, so that tests
 * can move time and several instances can share each tick.
 */
import { Cron } from 'croner';

/** One job's schedule: its ticks, in its time zone. */
export interface Schedule {
  /** The first tick strictly after `time` (epoch ms), or `undefined` when there is none. */
  next(time: number): number | undefined;
  /** The latest tick at or before `time`, or `undefined`. */
  previous(time: number): number | undefined;
}

/**
 * The schedule of `expression` in `timeZone`.
 * @throws {Error} croner's reason, for an expression it cannot read.
 * @example schedule('30 9 * * 1-5', 'Europe/Paris').next(Date.now())
 */
export function schedule(expression: string, timeZone: string): Schedule {
  const cron = new Cron(expression, { paused: true, timezone: timeZone, mode: '5-or-6-parts' });
  return {
    next: (time) => cron.nextRun(new Date(time))?.getTime(),
    previous(time) {
      // croner's previous runs are strictly before its reference: a tick exactly at `time` counts too.
      const exact = cron.nextRun(new Date(time - 1));
      if (exact !== null && exact.getTime() === time) return time;
      return cron.previousRuns(1, new Date(time))[0]?.getTime();
    },
  };
}

/** True when `zone` is an IANA time zone the runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
