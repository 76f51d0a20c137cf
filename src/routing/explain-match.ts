/**
 * Why a text went to the command it went to: for the debug log, the command that matched (or
 * why none did) and, for the commands nearest to the text, why they did not win. Computed only
 * when debug logging is on; it matches the text against every command once more.
 *
 * It reads commands through {@link ExplainableCommand}, a narrow view, so that it keeps working
 * however the command index itself is built.
 */
import { matchPattern, matchRegExp } from './pattern.js';
import type { CommandIndex, CommandLookup } from './command-index.js';

/** What the explanation needs to know of one command. */
export interface ExplainableCommand {
  readonly skill: string;
  readonly usage: string;
  readonly priority: number;
  /** Its leading literal words (`['ticket', 'open']`); empty for a RegExp command. */
  readonly words: readonly string[];
  /** Matches the text against this command alone. */
  test(text: string): { readonly kind: 'match' | 'usage' | 'none'; readonly problem?: string };
}

/** One command that did not win, and why. */
export interface NearMiss {
  readonly skill: string;
  readonly usage: string;
  readonly why: string;
}

/** The explanation logged at debug. */
export interface MatchExplanation {
  /** How the lookup ended: `match`, `usage` (the command's words, wrong arguments) or `none`. */
  readonly result: CommandLookup['kind'];
  /** The command chosen (matched, or whose usage is shown). */
  readonly chosen?: { readonly skill: string; readonly usage: string };
  /** Up to `max` commands nearest to the text, nearest first, with why each lost. */
  readonly nearest: readonly NearMiss[];
}

/** The explainable view of the commands of an index, in matching order. */
export function explainableCommands(index: CommandIndex): ExplainableCommand[] {
  return index.commands.map((c) => ({
    skill: c.skill,
    usage: c.info.usage,
    priority: c.priority,
    words: c.compiled?.prefix ?? [],
    test: (text: string) =>
      c.compiled ? matchPattern(c.compiled, text) : matchRegExp(c.command.pattern as RegExp, text),
  }));
}

/** Edit distance of two short words: insertions, deletions, substitutions and swaps of neighbours ("hepl" → "help" is 1). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

const quote = (words: readonly string[]): string => `"${words.join(' ')}"`;

/** How near `text` is to a command that does not match it (higher is nearer; 0: not near at all), and why it is not that command. */
function nearness(command: ExplainableCommand, typed: readonly string[]): { score: number; why: string } {
  if (command.words.length === 0) return { score: 1, why: 'its regular expression does not match' };
  let same = 0;
  while (same < command.words.length && typed[same] === command.words[same]) same++;
  const next = typed[same];
  const expected = command.words[same]!;
  const what = `it starts with ${quote(command.words)}`;
  if (next === undefined) return { score: 10 * same + 5, why: `${what}; the text stops after ${quote(typed)}` };
  const d = distance(next, expected);
  // A typo (one or two letters off) counts almost as much as a word in common.
  const close = d <= Math.max(1, Math.floor(expected.length / 3));
  const score = 10 * same + (close ? 8 - d : 0);
  return { score, why: `${what}, not ${quote([...typed.slice(0, same), next])}${close ? ' (a typo?)' : ''}` };
}

/** Why the winner beat a command that matches too. */
function outranked(loser: ExplainableCommand, winner: ExplainableCommand): string {
  const by =
    winner.priority !== loser.priority
      ? `priority ${winner.priority} over ${loser.priority}`
      : winner.words.length !== loser.words.length
        ? `more leading words (${quote(winner.words)})`
        : 'it was loaded first';
  return `matches too, but ${winner.skill}'s "${winner.usage}" comes first: ${by}`;
}

/**
 * Explains `lookup`, the result of looking `text` up among `commands` (in matching order).
 *
 * @example
 * explainMatch(explainableCommands(index), 'hepl', index.find('hepl'))
 * // → { result: 'none', nearest: [{ skill: 'help', usage: 'help', why: 'it starts with "help", not "hepl" (a typo?)' }] }
 */
export function explainMatch(
  commands: readonly ExplainableCommand[],
  text: string,
  lookup: CommandLookup,
  max = 3,
): MatchExplanation {
  const typed = text
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  const chosenIndex =
    lookup.kind === 'none'
      ? -1
      : commands.findIndex((c) => c.skill === lookup.command.skill && c.usage === lookup.command.info.usage);
  const chosen = chosenIndex === -1 ? undefined : commands[chosenIndex]!;
  const misses: Array<NearMiss & { score: number }> = [];
  commands.forEach((command, i) => {
    if (i === chosenIndex) return;
    const result = command.test(text);
    const base = { skill: command.skill, usage: command.usage };
    if (result.kind === 'match') {
      const why =
        chosen && lookup.kind === 'match'
          ? outranked(command, chosen)
          : `matches, but ${chosen ? `${chosen.skill}'s "${chosen.usage}" recognised its own words first` : 'another command won'}`;
      misses.push({ ...base, why, score: 100 });
    } else if (result.kind === 'usage') {
      misses.push({
        ...base,
        why: `its words are there, but ${result.problem ?? 'the arguments are wrong'}`,
        score: 90,
      });
    } else {
      const { score, why } = nearness(command, typed);
      if (score > 1) misses.push({ ...base, why, score });
    }
  });
  misses.sort((a, b) => b.score - a.score);
  return {
    result: lookup.kind,
    ...(chosen ? { chosen: { skill: chosen.skill, usage: chosen.usage } } : {}),
    nearest: misses.slice(0, max).map(({ skill, usage, why }) => ({ skill, usage, why })),
  };
}
