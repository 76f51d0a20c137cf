/**
 * The standup skill's records:
 * - `spaces` (skill-wide): the spaces that opted in (the daily jobs go through them);
 * - `roster` (per space): the people expected to answer, id → name;
 * - `answers:<YYYY-MM-DD>` (per space): that day's answers, person id → answer.
 * Each is changed with `update`: people answer at the same time, and jobs run outside any
 * space's turn, on any instance.
 */
import { escapeMarkdown, type StateScope } from 'webex-skill-bot';

/** One person's answer of one day. */
export interface StandupAnswer {
  readonly name: string;
  readonly yesterday: string;
  readonly today: string;
  readonly blockers: string | undefined;
  /** When it was given (ISO). */
  readonly at: string;
}

export type Roster = Readonly<Record<string, string>>;
export type DayAnswers = Readonly<Record<string, StandupAnswer>>;

/** How long a day's answers are kept. */
const KEEP_MS = 30 * 86_400_000;

export async function optIn(
  skill: StateScope,
  space: StateScope,
  spaceId: string,
  person: { id: string; displayName: string },
) {
  await skill.update<string[]>('spaces', (ids) => [...new Set([...(ids ?? []), spaceId])]);
  await join(space, person);
}

export async function optOut(skill: StateScope, spaceId: string): Promise<boolean> {
  let was = false;
  await skill.update<string[]>('spaces', (ids) => {
    was = (ids ?? []).includes(spaceId);
    return (ids ?? []).filter((id) => id !== spaceId);
  });
  return was;
}

export async function optedIn(skill: StateScope): Promise<string[]> {
  return (await skill.get<string[]>('spaces')) ?? [];
}

export async function join(space: StateScope, person: { id: string; displayName: string }): Promise<void> {
  await space.update<Roster>('roster', (r) => ({ ...(r ?? {}), [person.id]: person.displayName }));
}

export async function leave(space: StateScope, personId: string): Promise<void> {
  await space.update<Roster>('roster', (r) =>
    Object.fromEntries(Object.entries(r ?? {}).filter(([id]) => id !== personId)),
  );
}

export async function record(space: StateScope, day: string, personId: string, answer: StandupAnswer): Promise<void> {
  await space.update<DayAnswers>(`answers:${day}`, (a) => ({ ...(a ?? {}), [personId]: answer }), { ttlMs: KEEP_MS });
}

/**
 * The day's report: each answer, then who is missing — the roster (people who joined) less who
 * answered. (Once the bot can list a space's members, they are the ones expected.)
 */
export async function report(space: StateScope, day: string): Promise<string> {
  const answers = (await space.get<DayAnswers>(`answers:${day}`)) ?? {};
  const roster = (await space.get<Roster>('roster')) ?? {};
  const answered = Object.entries(answers).sort(([, a], [, b]) => a.name.localeCompare(b.name));
  const missing = Object.entries(roster)
    .filter(([id]) => answers[id] === undefined)
    .map(([, name]) => name)
    .sort();
  const expected = new Set([...Object.keys(roster), ...Object.keys(answers)]).size;
  const lines = [`**Stand-up, ${day}**: ${answered.length} of ${expected} answered`];
  for (const [, a] of answered) {
    lines.push(
      '',
      `**${escapeMarkdown(a.name)}**`,
      `- Yesterday: ${escapeMarkdown(a.yesterday)}`,
      `- Today: ${escapeMarkdown(a.today)}`,
      `- Blockers: ${a.blockers ? escapeMarkdown(a.blockers) : 'none'}`,
    );
  }
  lines.push('', missing.length > 0 ? `Missing: ${missing.map(escapeMarkdown).join(', ')}` : 'Nobody is missing.');
  return lines.join('\n');
}
