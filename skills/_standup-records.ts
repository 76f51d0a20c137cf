/**
 * The standup skill's records:
 * - `spaces` (skill-wide): the spaces that opted in (the daily jobs go through them);
 * - `away` (per space): people of the space who are not expected to answer (`standup leave`),
 *   id → name; everyone else in the space is (its members, listed from Webex);
 * - `answers:<YYYY-MM-DD>` (per space): that day's answers, person id → answer.
 * Each is changed with `update`: people answer at the same time, and jobs run outside any
 * space's turn, on any instance.
 */
import { escapeMarkdown, type Member, type SkillLog, type StateScope } from 'webex-skill-bot';

/** One person's answer of one day. */
export interface StandupAnswer {
  readonly name: string;
  readonly yesterday: string;
  readonly today: string;
  readonly blockers: string | undefined;
  /** When it was given (ISO). */
  readonly at: string;
}

export type Away = Readonly<Record<string, string>>;
export type DayAnswers = Readonly<Record<string, StandupAnswer>>;

/** How long a day's answers are kept. */
const KEEP_MS = 30 * 86_400_000;

export async function optIn(skill: StateScope, spaceId: string): Promise<void> {
  await skill.update<string[]>('spaces', (ids) => [...new Set([...(ids ?? []), spaceId])]);
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

/** `personId` is expected to answer again (they are, unless they left). */
export async function join(space: StateScope, personId: string): Promise<void> {
  await space.update<Away>('away', (a) =>
    Object.fromEntries(Object.entries(a ?? {}).filter(([id]) => id !== personId)),
  );
}

/** `person` is not expected to answer in this space, until they join again. */
export async function leave(space: StateScope, person: { id: string; displayName: string }): Promise<void> {
  await space.update<Away>('away', (a) => ({ ...(a ?? {}), [person.id]: person.displayName }));
}

export async function record(space: StateScope, day: string, personId: string, answer: StandupAnswer): Promise<void> {
  await space.update<DayAnswers>(`answers:${day}`, (a) => ({ ...(a ?? {}), [personId]: answer }), { ttlMs: KEEP_MS });
}

/**
 * The people a report expects: the space's members (people, not bots) less those who left;
 * `undefined` when Webex would not list them (the report then names who answered only).
 */
export async function expectedIn(
  space: StateScope,
  members: () => AsyncIterable<Member>,
  log: SkillLog,
): Promise<Member[] | undefined> {
  const away = (await space.get<Away>('away')) ?? {};
  const expected: Member[] = [];
  try {
    for await (const m of members()) if (away[m.id] === undefined) expected.push(m);
  } catch (err) {
    log.warn('could not list the members of the space: the report names who answered only', { err: String(err) });
    return undefined;
  }
  return expected;
}

/**
 * The day's report: each answer, then who is missing — the people `expected` (see
 * {@link expectedIn}) who did not answer.
 */
export async function report(space: StateScope, day: string, expected: readonly Member[] | undefined): Promise<string> {
  const answers = (await space.get<DayAnswers>(`answers:${day}`)) ?? {};
  const answered = Object.entries(answers).sort(([, a], [, b]) => a.name.localeCompare(b.name));
  const missing = (expected ?? [])
    .filter((m) => answers[m.id] === undefined)
    .map((m) => m.displayName)
    .sort();
  const count = new Set([...(expected ?? []).map((m) => m.id), ...Object.keys(answers)]).size;
  const lines = [`**Stand-up, ${day}**: ${answered.length} of ${count} answered`];
  for (const [, a] of answered) {
    lines.push(
      '',
      `**${escapeMarkdown(a.name)}**`,
      `- Yesterday: ${escapeMarkdown(a.yesterday)}`,
      `- Today: ${escapeMarkdown(a.today)}`,
      `- Blockers: ${a.blockers ? escapeMarkdown(a.blockers) : 'none'}`,
    );
  }
  if (expected === undefined)
    lines.push('', "(I could not list this space's members, so I cannot say who is missing.)");
  else lines.push('', missing.length > 0 ? `Missing: ${missing.map(escapeMarkdown).join(', ')}` : 'Nobody is missing.');
  return lines.join('\n');
}
