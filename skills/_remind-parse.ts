/**
 * What `remind me …` / `remind here …` asks for, read from the text after `me` or `here`:
 * - `in <n> minutes|hours|days to <what>` — once, that long from now (to the minute);
 * - `at <H:MM> to <what>` — once, at the next such time in the bot's time zone;
 * - `every <day|weekday|monday…sunday> at <H:MM> to <what>` — again and again.
 */
import { nextTime, timeOfDay } from 'webex-skill-bot';

/** When a reminder goes off: once at `due`, or at every tick of `cron` (first at `due`). */
export interface When {
  readonly due: number;
  readonly cron?: string;
  /** How a person would say it: "in 10 minutes", "every Monday at 09:00". */
  readonly said: string;
}

/** A request read: when, and what to say. */
export type Parsed = { readonly when: When; readonly what: string } | { readonly problem: string };

const UNITS: Readonly<Record<string, number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const LONGEST_MS = 366 * 86_400_000;

/** An example of each form, for answers to text the parser cannot read. */
export const EXAMPLES =
  '`remind me in 10 minutes to stretch`, `remind me at 17:00 to call Bob`, or `remind here every monday at 9:00 to plan the week`';

function unitOf(word: string): number | undefined {
  const w = word.toLowerCase().replace(/s$/, '');
  return UNITS[w === 'min' ? 'minute' : w === 'h' || w === 'hr' ? 'hour' : w];
}

/** The cron days of `word` (`monday` → `1`, `weekday` → `1-5`, `day` → `*`), or `undefined`. */
function daysOf(word: string): { cron: string; said: string } | undefined {
  const w = word.toLowerCase().replace(/s$/, '');
  if (w === 'day') return { cron: '*', said: 'every day' };
  if (w === 'weekday') return { cron: '1-5', said: 'every weekday' };
  const i = DAYS.findIndex((d) => d === w || d.slice(0, 3) === w);
  return i === -1 ? undefined : { cron: String(i), said: `every ${DAYS[i]![0]!.toUpperCase()}${DAYS[i]!.slice(1)}` };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * Reads `text` (what follows `remind me` or `remind here`) at time `now`, in `timeZone`.
 * @example parseReminder('in 10 minutes to stretch', new Date('2030-03-04T09:30:00Z'), 'UTC')
 * // { when: { due: Date.parse('2030-03-04T09:40:00Z'), said: 'in 10 minutes' }, what: 'stretch' }
 */
export function parseReminder(text: string, now: Date, timeZone: string): Parsed {
  const m = /^(.*?)\s+to\s+(.+)$/is.exec(text.trim());
  if (!m) return { problem: `I need "… to <what>" to know what to remind of. For example ${EXAMPLES}.` };
  const when = m[1]!.trim().toLowerCase().split(/\s+/);
  const what = m[2]!.trim();
  const at = /^(\d{1,2})[:h.](\d{2})$/.exec(when.at(-1) ?? '');
  const [hour, minute] = at ? [Number(at[1]), Number(at[2])] : [NaN, NaN];
  const clock = at && hour <= 23 && minute <= 59 ? { hour, minute } : undefined;
  if (at && !clock) return { problem: `"${when.at(-1)}" is not a time of day: use 0:00 to 23:59, e.g. "at 17:00".` };
  if (when[0] === 'in' && when.length === 3) {
    const amount = Number(when[1]);
    const unit = unitOf(when[2]!);
    if (!Number.isFinite(amount) || amount <= 0 || unit === undefined)
      return {
        problem: `"in ${when.slice(1).join(' ')}" is not a duration I know: say e.g. "in 10 minutes", "in 2 hours", "in 1 day".`,
      };
    if (amount * unit > LONGEST_MS) return { problem: 'That is more than a year away: pick a nearer time.' };
    // To the minute: the reminders go out on the minute.
    const due = Math.round((now.getTime() + amount * unit) / 60_000) * 60_000;
    return { when: { due, said: `in ${when[1]} ${when[2]}` }, what };
  }
  if (when[0] === 'at' && when.length === 2 && clock)
    return {
      when: {
        due: timeOfDay(clock.hour, clock.minute, { timeZone, after: now }).getTime(),
        said: `at ${pad(clock.hour)}:${pad(clock.minute)}`,
      },
      what,
    };
  if (when[0] === 'every' && when.length === 4 && when[2] === 'at' && clock) {
    const days = daysOf(when[1]!);
    if (!days)
      return {
        problem: `"every ${when[1]}" is not a day I know: say e.g. "every monday", "every weekday", "every day".`,
      };
    const cron = `${clock.minute} ${clock.hour} * * ${days.cron}`;
    const due = nextTime(cron, { timeZone, after: now })!.getTime();
    return { when: { due, cron, said: `${days.said} at ${pad(clock.hour)}:${pad(clock.minute)}` }, what };
  }
  return { problem: `I could not tell when. Say it like ${EXAMPLES}.` };
}
