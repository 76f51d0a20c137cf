/**
 * A tool call → the exact command text that `dispatchText` matches, so that running it is
 * running the command as if the person had typed it. The arguments are checked against the
 * tool's schema first, and the text made is checked by the command index itself: it must find
 * this very command with these very arguments (a more specific or higher-priority command would
 * otherwise take it). What is wrong comes back as a problem the model is told, in words it can
 * act on; the person sees {@link usageAnswer} if the model gets it wrong again.
 *
 * @example
 * const call = { id: 'c1', name: 'ticket_open', arguments: '{"priority":"High","title":"VPN is down"}' };
 * toCommandText(call, tools, index.find);
 * // → { kind: 'command', tool, text: 'ticket open high VPN is down' }
 */
import type { FormPrefill } from '../cards/prefill.js';
import type { CommandLookup } from '../routing/command-index.js';
import { describeToken, type PatternToken } from '../routing/pattern.js';
import { escapeMarkdown } from '../skill-kit/markdown.js';
import { isRecord } from '../util/is-record.js';
import type { ToolCall } from './provider.js';
import { ABILITIES_TOOL, type CommandTool } from './tools.js';

/** What a tool call comes to. */
export type ToolCallResolution =
  /** Run `text` as a typed command (with the form it opens pre-filled, when the call gave fields of it). */
  | {
      readonly kind: 'command';
      readonly tool: CommandTool;
      readonly text: string;
      readonly prefill?: FormPrefill | undefined;
    }
  /** The built-in list of what the person may do. */
  | { readonly kind: 'abilities' }
  /** The call cannot run: `problem` says why; `tool` is the command meant, if the name was known. */
  | { readonly kind: 'problem'; readonly problem: string; readonly tool?: CommandTool };

type Args = Record<string, unknown>;
type Param = Exclude<PatternToken, { kind: 'literal' }>;

/** A single argument's text, or the problem with it. */
function valueText(token: Param, value: unknown): { text: string } | { problem: string } {
  const name = `"${token.name}"`;
  switch (token.kind) {
    case 'word':
      if (typeof value !== 'string' && typeof value !== 'number') return { problem: `${name} must be a string` };
      if (!/^\S+$/.test(String(value).trim())) return { problem: `${name} must be one word, without spaces` };
      return { text: String(value).trim() };
    case 'number': {
      // A number written as a string ("5") is what models often send: taken as the number.
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) return { problem: `${name} must be a number` };
      return { text: String(n) };
    }
    case 'choice': {
      const choice = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
      if (choice === undefined || !token.choices.includes(choice))
        return { problem: `${name} must be one of: ${token.choices.join(', ')}` };
      return { text: choice };
    }
    case 'rest':
      if (typeof value !== 'string' || value.trim() === '') return { problem: `${name} must be a non-empty string` };
      return { text: value.trim() };
  }
}

/** The command text of a pattern command's arguments, or the problem with them. */
function patternText(tool: CommandTool, args: Args): { text: string } | { problem: string } {
  const tokens = tool.command.compiled!.tokens;
  const known = tokens.filter((t): t is Param => t.kind !== 'literal');
  const unknown = Object.keys(args).filter((k) => !known.some((t) => t.name === k));
  if (unknown.length > 0) {
    const allowed = known.length > 0 ? known.map((t) => t.name).join(', ') : 'none';
    return { problem: `unknown argument ${unknown.map((k) => `"${k}"`).join(', ')} (its arguments: ${allowed})` };
  }
  const words: string[] = [];
  let skipped: Param | undefined;
  for (const token of tokens) {
    if (token.kind === 'literal') {
      words.push(token.word);
      continue;
    }
    const value = args[token.name];
    if (value === undefined || value === null || value === '') {
      if (!token.optional) return { problem: `"${token.name}" is required` };
      skipped ??= token;
      continue;
    }
    if (skipped)
      return { problem: `"${token.name}" can only be given with "${skipped.name}" (${describeToken(skipped)}) too` };
    const made = valueText(token, value);
    if ('problem' in made) return made;
    words.push(made.text);
  }
  return { text: words.join(' ') };
}

/** The text of a RegExp command's one argument, or the problem with it. */
function wholeText(args: Args): { text: string } | { problem: string } {
  const unknown = Object.keys(args).filter((k) => k !== 'text');
  if (unknown.length > 0) return { problem: `unknown argument "${unknown[0]}" (its one argument: text)` };
  const text = args['text'];
  if (typeof text !== 'string' || text.trim() === '') return { problem: '"text" must be the command as typed' };
  return { text: text.trim() };
}

/**
 * The call's arguments split: those of the command itself, and the fields of the form it opens
 * (names the command's own arguments take stay the command's).
 */
function splitForm(tool: CommandTool, args: Args): { own: Args; prefill: FormPrefill | undefined } {
  const { form } = tool;
  if (!form) return { own: args, prefill: undefined };
  const own: Args = {};
  const values: Args = {};
  const commandArgs = new Set(
    tool.command.compiled
      ? tool.command.compiled.tokens.flatMap((t) => (t.kind === 'literal' ? [] : [t.name]))
      : ['text'],
  );
  for (const [key, value] of Object.entries(args)) {
    if (!commandArgs.has(key) && form.inputs.some((i) => i.id === key)) {
      if (value !== undefined && value !== null && value !== '') values[key] = value;
    } else own[key] = value;
  }
  return { own, prefill: Object.keys(values).length > 0 ? { cardId: form.cardId, values } : undefined };
}

/** True when `lookup` is `tool`'s command (and, for a pattern command, with `args` as meant). */
function sameCommand(lookup: CommandLookup, tool: CommandTool): lookup is Extract<CommandLookup, { kind: 'match' }> {
  return lookup.kind === 'match' && lookup.command === tool.command;
}

/**
 * What `call` comes to among `tools` (the tools offered to this person): the command text to run,
 * the built-in list, or a problem. `find` is the command index's lookup, the one `dispatchText` uses.
 */
export function toCommandText(
  call: ToolCall,
  tools: readonly CommandTool[],
  find: (text: string) => CommandLookup,
): ToolCallResolution {
  if (call.name === ABILITIES_TOOL) return { kind: 'abilities' };
  const tool = tools.find((t) => t.spec.name === call.name);
  if (!tool) {
    const names = [...tools.map((t) => t.spec.name), ABILITIES_TOOL].join(', ');
    return { kind: 'problem', problem: `there is no tool "${call.name}" (the tools: ${names})` };
  }
  let args: unknown;
  try {
    args = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch {
    return { kind: 'problem', tool, problem: 'the arguments are not valid JSON' };
  }
  if (!isRecord(args)) return { kind: 'problem', tool, problem: 'the arguments must be a JSON object' };
  const { own, prefill } = splitForm(tool, args);
  const made = tool.command.compiled ? patternText(tool, own) : wholeText(own);
  if ('problem' in made) return { kind: 'problem', tool, problem: made.problem };
  const lookup = find(made.text);
  if (!sameCommand(lookup, tool)) {
    const problem =
      lookup.kind === 'usage' && lookup.command === tool.command
        ? lookup.problem
        : `"${made.text}" does not read as this command (typed as: ${tool.command.info.usage})`;
    return { kind: 'problem', tool, problem };
  }
  return { kind: 'command', tool, text: made.text, prefill };
}

/** What the model is told when a call cannot run, so that it may correct it once. */
export function problemForModel(resolution: Extract<ToolCallResolution, { kind: 'problem' }>): string {
  const usage = resolution.tool ? ` It is typed as: ${resolution.tool.command.info.usage}.` : '';
  return `Not run: ${resolution.problem}.${usage} Call the tool again with corrected arguments, or answer in words.`;
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/**
 * What the person sees when the model could not make a command of their words twice: the
 * command's usage (as for a typed command with wrong arguments), or, when no command was
 * named, a pointer to help. `helpWord` is how help is typed in this space.
 */
export function usageAnswer(resolution: Extract<ToolCallResolution, { kind: 'problem' }>, helpWord: string): string {
  const { tool } = resolution;
  if (!tool) return `Sorry, I could not work out which command you meant. Type ${code(helpWord)} to see what I can do.`;
  const { info } = tool.command;
  const lines = [
    `I could not turn that into a command: ${escapeMarkdown(resolution.problem)}.`,
    `Usage: ${code(info.usage)} — ${info.help}`,
  ];
  if (info.examples.length > 0) lines.push(`For example: ${info.examples.map(code).join(', ')}`);
  return lines.join('\n\n');
}
