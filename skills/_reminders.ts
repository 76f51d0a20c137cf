/**
 * The remind skill's records, in its skill-wide state (jobs see every space's reminders at once):
 * - `reminder:<id>`: one reminder;
 * - `due`: the ids of every reminder still to go off (changed with `update`: the delivery job and
 *   the commands run at the same time, in any space, on any instance).
 */
import { randomBytes } from 'node:crypto';
import type { StateScope } from 'webex-skill-bot';

/** A reminder. */
export interface Reminder {
  readonly id: string;
  readonly what: string;
  /** A person's (sent to their direct space) or a space's. */
  readonly to: { readonly personId: string } | { readonly roomId: string };
  readonly setBy: { readonly id: string; readonly name: string };
  /** The space it was set in. */
  readonly spaceId: string;
  /** When it goes off next (epoch ms). */
  readonly due: number;
  /** For a repeating reminder: its schedule, in `timeZone`. */
  readonly cron?: string;
  readonly timeZone: string;
  /** How it was said ("every Monday at 09:00"). */
  readonly said: string;
}

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A reminder id such as `R-7K2M9` (no 0/O, 1/I/L, U: easy to read back). */
function newId(): string {
  return `R-${[...randomBytes(5)].map((b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}

/** Stores a new reminder (its id chosen here, unique) and adds it to the due list. */
export async function addReminder(skill: StateScope, draft: Omit<Reminder, 'id'>): Promise<Reminder> {
  let reminder: Reminder = { ...draft, id: newId() };
  while (!(await skill.claim(`reminder:${reminder.id}`, reminder))) reminder = { ...draft, id: newId() };
  await skill.update<string[]>('due', (ids) => [...(ids ?? []), reminder.id]);
  return reminder;
}

/** The reminder `id` (any case), if it exists. */
export function getReminder(skill: StateScope, id: string): Promise<Reminder | undefined> {
  return skill.get<Reminder>(`reminder:${id.toUpperCase()}`);
}

/** Every reminder still to go off. */
export async function allReminders(skill: StateScope): Promise<Reminder[]> {
  const ids = (await skill.get<string[]>('due')) ?? [];
  const found = await Promise.all(ids.map((id) => getReminder(skill, id)));
  return found.filter((r): r is Reminder => r !== undefined).sort((a, b) => a.due - b.due);
}

/** Removes reminder `id` for good. */
export async function removeReminder(skill: StateScope, id: string): Promise<void> {
  await skill.delete(`reminder:${id}`);
  await skill.update<string[]>('due', (ids) => (ids ?? []).filter((x) => x !== id));
}

/** Moves a repeating reminder to its next time. */
export async function reschedule(skill: StateScope, reminder: Reminder, due: number): Promise<void> {
  await skill.set(`reminder:${reminder.id}`, { ...reminder, due } satisfies Reminder);
}
