/**
 * Commands become tools: each command of each skill is offered to the model as a tool with a
 * stable name (its leading words: `ticket open …` → `ticket_open`), its help as the description
 * (its usage and examples as hints), and a JSON Schema of its arguments made from the pattern's
 * typed captures: `<word>` → string (one word), `<n:number>` → number, `<p:low|high>` → enum,
 * `<text...>` → string; optional captures are not required. A RegExp command (no typed captures)
 * takes the whole command text as its one argument.
 *
 * The reverse (a tool call → the command text) is in `tool-call.ts`.
 *
 * @example
 * const tools = commandTools(skills);
 * tools.find((t) => t.spec.name === 'ticket_open')?.spec.parameters;
 * // → { type: 'object', properties: { priority: { type: 'string', enum: ['low', 'high'] }, title: {...} },
 * //     required: ['priority', 'title'], additionalProperties: false }
 */
import { describeToken, type PatternToken } from '../routing/pattern.js';
import type { LoadedCommand, LoadedSkill } from '../routing/skill-loader.js';
import { type CommandForm, type FormCard, formDescription, formOf, formProperties } from './form-tools.js';
import type { JsonSchema, ToolSpec } from './provider.js';

/** A command offered to the model as a tool. */
export interface CommandTool {
  readonly spec: ToolSpec;
  readonly command: LoadedCommand;
  /** The form it opens, whose inputs are optional arguments (see `form-tools.ts`). */
  readonly form?: CommandForm | undefined;
}

/** The name of the built-in tool that lists what the person may do (see `abilities.ts`). */
export const ABILITIES_TOOL = 'what_i_can_do';

/** Longest tool name OpenAI-compatible APIs accept. */
const MAX_NAME = 64;
/** Longest description sent (APIs cap them; help texts are short anyway). */
const MAX_DESCRIPTION = 1000;

/** `words` as a tool name: lower case, `[a-z0-9_-]` only, joined by `_`. */
function nameOf(words: readonly string[]): string {
  const name = words
    .map((w) => w.toLowerCase().replace(/[^a-z0-9_-]+/g, '_'))
    .join('_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  return name.slice(0, MAX_NAME - 4);
}

/** The leading plain words of a RegExp command's usage (`weather <city>` → `['weather']`). */
function usageWords(usage: string): string[] {
  const words: string[] = [];
  for (const word of usage.split(/\s+/)) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(word)) break;
    words.push(word);
  }
  return words;
}

/** The schema of one typed capture. */
function propertyOf(token: Exclude<PatternToken, { kind: 'literal' }>): JsonSchema {
  switch (token.kind) {
    case 'word':
      return { type: 'string', description: 'one word, no spaces', pattern: '^\\S+$' };
    case 'number':
      return { type: 'number' };
    case 'choice':
      return { type: 'string', enum: [...token.choices] };
    case 'rest':
      return { type: 'string', description: 'free text', minLength: 1 };
  }
}

/** The JSON Schema of a command's arguments (and of the form it opens, if any: optional). */
export function argumentsSchema(command: LoadedCommand, form?: CommandForm): JsonSchema {
  if (!command.compiled) {
    const fields = form ? formProperties(form, new Set(['text'])) : {};
    return {
      type: 'object',
      properties: {
        text: {
          type: 'string',
          description: `the whole command as the person would type it: ${command.info.usage}`,
          minLength: 1,
        },
        ...fields,
      },
      required: ['text'],
      additionalProperties: false,
    };
  }
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const token of command.compiled.tokens) {
    if (token.kind === 'literal') continue;
    properties[token.name] = propertyOf(token);
    if (!token.optional) required.push(token.name);
  }
  if (form) Object.assign(properties, formProperties(form, new Set(Object.keys(properties))));
  return { type: 'object', properties, required, additionalProperties: false };
}

/** What the model reads about a command: what it does, how it is typed, examples. */
function descriptionOf(command: LoadedCommand, skill: LoadedSkill | undefined, form: CommandForm | undefined): string {
  const { info } = command;
  const optional = command.compiled?.tokens.filter((t) => t.kind !== 'literal' && t.optional) ?? [];
  const parts = [
    `${info.help.replace(/\.$/, '')}.`,
    `Skill "${command.skill}"${skill ? `: ${skill.info.description.replace(/\.$/, '')}` : ''}.`,
    `Typed as: ${info.usage}`,
  ];
  if (optional.length > 1)
    parts.push(`Give ${optional.map(describeToken).join(', ')} in order: a later one only with the earlier ones.`);
  if (info.examples.length > 0) parts.push(`Examples: ${info.examples.join(' | ')}`);
  if (form) parts.push(formDescription(form));
  const text = parts.join(' ');
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 1)}…` : text;
}

/**
 * Every command of `skills` as a tool, in the skills' order. Names come from the command's
 * leading words, so they do not change when other skills come and go; two commands with the same
 * words get `_2`, `_3`... in load order, and no command takes the built-in {@link ABILITIES_TOOL}.
 * `formCard` gives the cards of commands that open a form (`opensForm`): their inputs become
 * optional arguments.
 */
export function commandTools(skills: readonly LoadedSkill[], formCard?: FormCard): CommandTool[] {
  const taken = new Set<string>([ABILITIES_TOOL]);
  const tools: CommandTool[] = [];
  for (const skill of skills) {
    for (const command of skill.commands) {
      const words = command.compiled ? command.compiled.prefix : usageWords(command.info.usage);
      const base = nameOf(words) || nameOf([command.skill]) || 'command';
      let name = base;
      for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
      taken.add(name);
      const form = formOf(command, formCard);
      tools.push({
        command,
        form,
        spec: { name, description: descriptionOf(command, skill, form), parameters: argumentsSchema(command, form) },
      });
    }
  }
  return tools;
}
