/**
 * Time helpers for skills: the next time of a cron expression or of a time of day, in a time
 * zone, and a day as `YYYY-MM-DD` there. Pass `now()` from the context as `after`, so that tests
 * that move the bot's clock move these too.
 */
import { Cron } from 'croner';

/**
 * The first time after `after` that `cron` (5 fields, or 6 with seconds) names, in `timeZone`;
 * `undefined` when there is none.
 * @throws {Error} for an expression croner cannot read (its reason).
 * @example nextTime('0 9 * * 1', { timeZone: 'Europe/Paris', after: now() }) // next Monday 09:00 in Paris
 */
export function nextTime(cron: string, { timeZone, after }: { timeZone: string; after: Date }): Date | undefined {
  return new Cron(cron, { paused: true, timezone: timeZone, mode: '5-or-6-parts' }).nextRun(after) ?? undefined;
}

/**
 * The next `hour:minute` after `after`, in `timeZone` (today's, or tomorrow's once it has passed).
 * @example timeOfDay(17, 0, { timeZone: 'UTC', after: new Date('2030-03-04T16:00:00Z') }) // 2030-03-04T17:00:00Z
 */
export function timeOfDay(hour: number, minute: number, options: { timeZone: string; after: Date }): Date {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23 || !Number.isInteger(minute) || minute < 0 || minute > 59)
    throw new RangeError(`not a time of day: ${hour}:${minute}`);
  return nextTime(`${minute} ${hour} * * *`, options)!;
}

/**
 * The day of `date` in `timeZone`, as `YYYY-MM-DD`.
 * @example dayIn(new Date('2030-03-04T23:30:00Z'), 'Europe/Paris') // '2030-03-05'
 */
export function dayIn(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

/**
 * `date` as a person reads it in `timeZone`, e.g. `Mon 4 Mar, 17:00 (Europe/Paris)`.
 * @example formatTime(new Date('2030-03-04T16:00:00Z'), 'Europe/Paris') // 'Mon 4 Mar, 17:00 (Europe/Paris)'
 */
export function formatTime(date: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
  return `${text} (${timeZone})`;
}
