/**
 * Finding the one command a text means. Commands are tried in a fixed order — higher
 * `priority` first, then more leading literal words first (so `ticket open <title...>` beats
 * `ticket <anything...>`), then skill load order — and the first match wins, unless a more
 * specific command already recognised its own words but not its arguments: then the user meant
 * that one, and gets its usage.
 */
import { matchPattern, matchRegExp } from './pattern.js';
import type { LoadedCommand, LoadedSkill } from './skill-loader.js';

/** What a text means. */
export type CommandLookup =
  | { kind: 'match'; command: LoadedCommand; args: Record<string, string | number | undefined> }
  /** The text starts like `command` but its arguments are wrong. */
  | { kind: 'usage'; command: LoadedCommand; problem: string }
  | { kind: 'none' };

/** The commands of all skills, in matching order. */
export interface CommandIndex {
  readonly commands: readonly LoadedCommand[];
  find(text: string): CommandLookup;
}

/** Builds the index from loaded skills (in their load order). */
export function buildCommandIndex(skills: readonly LoadedSkill[]): CommandIndex {
  const ordered = skills
    .flatMap((s) => s.commands)
    .map((command, order) => ({ command, order }))
    .sort(
      (a, b) =>
        b.command.priority - a.command.priority ||
        (b.command.compiled?.prefix.length ?? 0) - (a.command.compiled?.prefix.length ?? 0) ||
        a.order - b.order,
    )
    .map((e) => e.command);
  return {
    commands: ordered,
    find(text) {
      let usage: Extract<CommandLookup, { kind: 'usage' }> | undefined;
      for (const command of ordered) {
        const pattern = command.command.pattern;
        const result = command.compiled ? matchPattern(command.compiled, text) : matchRegExp(pattern as RegExp, text);
        if (result.kind === 'match') {
          // "ticket open urgent x" means `ticket open …` even if `ticket <anything...>` matches.
          const prefix = (c: typeof command) => c.compiled?.prefix.length ?? 0;
          if (usage && prefix(usage.command) > prefix(command)) return usage;
          return { kind: 'match', command, args: result.args };
        }
        if (result.kind === 'usage' && !usage) usage = { kind: 'usage', command, problem: result.problem };
      }
      return usage ?? { kind: 'none' };
    },
  };
}
