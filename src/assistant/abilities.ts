/**
 * Who may use what: the tools offered to one person are the commands they may run, and "what
 * can you do?" lists exactly those. Whether a person may run a command is a predicate passed in
 * ({@link MayRun}), which per-command permissions plug into; without one, everyone may run
 * everything (as with typed commands today).
 *
 * Offering is not enforcing: a command run for the assistant goes through `dispatchText`, which
 * applies the access policy and the permissions to it as to a typed one. The predicate only keeps
 * the model from being shown (and the person from being offered) what would be refused.
 *
 * @example
 * const mayRun: MayRun = (command, person) => command.skill !== 'admin' || admins.has(person.email);
 * const offered = await toolsFor(commandTools(skills), { person, space }, mayRun);
 * await writer.append(abilitiesText(offered, skills));
 */
import type { LoadedSkill, LoadedCommand } from '../routing/skill-loader.js';
import { escapeMarkdown } from '../skill-kit/markdown.js';
import type { Person, Space } from '../skill-kit/types.js';
import { ABILITIES_TOOL, type CommandTool } from './tools.js';
import type { ToolSpec } from './provider.js';

/** Who is asking, and where. */
export interface Asker {
  readonly person: Person;
  readonly space: Space;
}

/** Whether `asker` may run `command` (per-command permissions); may be async. */
export type MayRun = (command: LoadedCommand, asker: Asker) => boolean | Promise<boolean>;

/** What `asker` is told when refused `command` (the policy's words for a typed one). */
export type Refusal = (command: LoadedCommand, asker: Asker) => string;

/** Everyone may run every command (the default, as for typed commands without permissions). */
export const EVERYONE_MAY_RUN: MayRun = () => true;

/** The tools of `tools` that `asker` may run, in order. */
export async function toolsFor(tools: readonly CommandTool[], asker: Asker, mayRun: MayRun): Promise<CommandTool[]> {
  const allowed = await Promise.all(tools.map((t) => mayRun(t.command, asker)));
  return tools.filter((_, i) => allowed[i] === true);
}

/** The built-in tool that shows the person what they may do. */
export const ABILITIES_SPEC: ToolSpec = {
  name: ABILITIES_TOOL,
  description:
    'Show the person the list of what this bot can do for them: its skills and commands. Call it when they ask what you can do, ask for help, or want to see the commands.',
  parameters: { type: 'object', properties: {}, additionalProperties: false },
};

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** The skills (name and description) that have at least one of `tools`, in the skills' order. */
export function skillsOf(tools: readonly CommandTool[], skills: readonly LoadedSkill[]): LoadedSkill[] {
  return skills.filter((s) => tools.some((t) => t.command.skill === s.info.name));
}

/**
 * The answer to "what can you do?": the skills with a command in `tools` (those the person may
 * run), each with those commands, how to type them and examples.
 * @example
 * abilitiesText(offered, skills);
 * // → 'Here is what I can do for you:\n\n**echo** — Repeats what you say\n- `echo <text...>` — Repeat the text…'
 */
export function abilitiesText(tools: readonly CommandTool[], skills: readonly LoadedSkill[]): string {
  const sections = skillsOf(tools, skills).map((skill) => {
    const lines = [`**${skill.info.name}** — ${escapeMarkdown(skill.info.description)}`];
    for (const tool of tools.filter((t) => t.command.skill === skill.info.name)) {
      const { info } = tool.command;
      const examples = info.examples.length > 0 ? ` (e.g. ${info.examples.map(code).join(', ')})` : '';
      lines.push(`- ${code(info.usage)} — ${escapeMarkdown(info.help)}${examples}`);
    }
    return lines.join('\n');
  });
  if (sections.length === 0) return 'There is nothing I can do for you here, I am afraid.';
  return `Here is what I can do for you:\n\n${sections.join('\n\n')}\n\nAsk me in your own words, or type a command.`;
}
