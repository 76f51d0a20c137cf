/**
 * Command patterns: compile `'ticket open <priority:low|high> <title...>'` once, then match
 * message text against it.
 *
 * Grammar (tokens are separated by spaces):
 * - `word`            a literal, matched case-insensitively against one word of the text
 * - `<name>`          one word, captured as a string
 * - `<name:number>`   one word that must be a number, captured as a number
 * - `<name:a|b|c>`    one word that must be one of the choices (case-insensitive), captured lower-cased
 * - `<name...>`       the rest of the text (at least one word), captured as written; last token only
 * - `[<...>]`         any of the above, optional; optional tokens come after all required ones
 *
 * Matching is anchored at the start of the text and case-insensitive for literals; the whole
 * text must be consumed (a `<name...>` token takes whatever remains).
 */
import { PatternSyntaxError } from '../errors.js';

/** One compiled token of a pattern. */
export type PatternToken =
  | { kind: 'literal'; word: string }
  | { kind: 'word'; name: string; optional: boolean }
  | { kind: 'number'; name: string; optional: boolean }
  | { kind: 'choice'; name: string; choices: readonly string[]; optional: boolean }
  | { kind: 'rest'; name: string; optional: boolean };

/** A compiled text pattern. */
export interface CompiledPattern {
  readonly source: string;
  readonly tokens: readonly PatternToken[];
  /** The leading literal words (e.g. `['ticket', 'open']`): what the user types to mean this command. */
  readonly prefix: readonly string[];
}

/** The result of matching text against a pattern. */
export type PatternMatch =
  /** The text is this command, with these arguments. */
  | { kind: 'match'; args: Record<string, string | number | undefined> }
  /** The text starts with the command's words but its arguments are wrong: `problem` says how. */
  | { kind: 'usage'; problem: string }
  /** The text is not this command. */
  | { kind: 'none' };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function compileParam(source: string, body: string, optional: boolean): PatternToken {
  if (body.endsWith('...')) {
    const name = body.slice(0, -3);
    if (!NAME.test(name)) throw new PatternSyntaxError(source, `"${name}" is not a valid parameter name`);
    return { kind: 'rest', name, optional };
  }
  const colon = body.indexOf(':');
  const name = colon === -1 ? body : body.slice(0, colon);
  if (!NAME.test(name)) throw new PatternSyntaxError(source, `"${name}" is not a valid parameter name`);
  if (colon === -1) return { kind: 'word', name, optional };
  const type = body.slice(colon + 1);
  if (type === 'number') return { kind: 'number', name, optional };
  const choices = type.split('|').map((c) => c.toLowerCase());
  if (choices.length < 2 || choices.some((c) => c === '' || /\s/.test(c))) {
    throw new PatternSyntaxError(source, `"<${body}>": a type is "number" or choices like "low|high"`);
  }
  return { kind: 'choice', name, choices, optional };
}

/**
 * Compiles a pattern string.
 *
 * @throws {PatternSyntaxError} for malformed patterns (bad names, duplicate names, a rest
 *   token that is not last, a required token after an optional one, no literal word first).
 */
export function compilePattern(source: string): CompiledPattern {
  const parts = source
    .trim()
    .split(/\s+/)
    .filter((p) => p !== '');
  if (parts.length === 0) throw new PatternSyntaxError(source, 'it is empty');
  const tokens: PatternToken[] = [];
  const names = new Set<string>();
  for (const part of parts) {
    let token: PatternToken;
    const optional = /^\[<.+>\]$/.exec(part);
    const required = /^<.+>$/.exec(part);
    if (optional) token = compileParam(source, part.slice(2, -2), true);
    else if (required) token = compileParam(source, part.slice(1, -1), false);
    else if (/[<>[\]]/.test(part))
      throw new PatternSyntaxError(source, `"${part}" is neither a word nor a <parameter>`);
    else token = { kind: 'literal', word: part.toLowerCase() };
    if (token.kind !== 'literal') {
      if (names.has(token.name)) throw new PatternSyntaxError(source, `parameter "${token.name}" appears twice`);
      names.add(token.name);
    }
    tokens.push(token);
  }
  if (tokens[0]?.kind !== 'literal')
    throw new PatternSyntaxError(source, 'it must start with a word, e.g. "echo <text...>"');
  tokens.forEach((t, i) => {
    if (t.kind === 'rest' && i !== tokens.length - 1)
      throw new PatternSyntaxError(source, `<${t.name}...> must be the last token`);
    if (t.kind === 'literal' && i > 0 && tokens.slice(0, i).some((p) => p.kind !== 'literal' && p.optional)) {
      throw new PatternSyntaxError(source, `the word "${t.word}" cannot follow an optional parameter`);
    }
    if (t.kind !== 'literal' && !t.optional && tokens.slice(0, i).some((p) => p.kind !== 'literal' && p.optional)) {
      throw new PatternSyntaxError(source, `required <${t.name}> cannot follow an optional parameter`);
    }
  });
  const prefix: string[] = [];
  for (const t of tokens) {
    if (t.kind !== 'literal') break;
    prefix.push(t.word);
  }
  return { source: source.trim(), tokens, prefix };
}

/** Words of `text` with their start offsets, so a rest capture can keep the original spacing. */
function words(text: string): Array<{ word: string; start: number }> {
  const out: Array<{ word: string; start: number }> = [];
  const re = /\S+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ word: m[0], start: m.index });
  return out;
}

/** How the token is written in usage lines: `<name>`, `<name...>`, `[<name>]`. */
export function describeToken(t: PatternToken): string {
  if (t.kind === 'literal') return t.word;
  const body =
    t.kind === 'rest'
      ? `${t.name}...`
      : t.kind === 'choice'
        ? `${t.name}:${t.choices.join('|')}`
        : t.kind === 'number'
          ? `${t.name}:number`
          : t.name;
  return t.optional ? `[<${body}>]` : `<${body}>`;
}

/**
 * Matches `text` against a compiled pattern.
 *
 * @example
 * const p = compilePattern('ticket open <priority:low|high> <title...>');
 * matchPattern(p, 'Ticket OPEN high VPN is down');
 * // → { kind: 'match', args: { priority: 'high', title: 'VPN is down' } }
 * matchPattern(p, 'ticket open urgent');
 * // → { kind: 'usage', problem: '<priority> must be one of: low, high' }
 */
export function matchPattern(pattern: CompiledPattern, text: string): PatternMatch {
  const input = words(text);
  const args: Record<string, string | number | undefined> = {};
  let i = 0;
  for (const token of pattern.tokens) {
    const current = input[i];
    if (token.kind === 'literal') {
      if (!current || current.word.toLowerCase() !== token.word) {
        // Still inside the command's own words: this is simply another command.
        return i < pattern.prefix.length ? { kind: 'none' } : { kind: 'usage', problem: `expected "${token.word}"` };
      }
      i++;
      continue;
    }
    if (!current) {
      if (token.optional) {
        args[token.name] = undefined;
        continue;
      }
      return { kind: 'usage', problem: `${describeToken(token)} is missing` };
    }
    switch (token.kind) {
      case 'rest':
        args[token.name] = text.slice(current.start).trim();
        i = input.length;
        break;
      case 'word':
        args[token.name] = current.word;
        i++;
        break;
      case 'number': {
        const n = Number(current.word);
        if (!Number.isFinite(n))
          return { kind: 'usage', problem: `<${token.name}> must be a number, got "${current.word}"` };
        args[token.name] = n;
        i++;
        break;
      }
      case 'choice': {
        const choice = current.word.toLowerCase();
        if (!token.choices.includes(choice)) {
          return {
            kind: 'usage',
            problem: `<${token.name}> must be one of: ${token.choices.join(', ')} (got "${current.word}")`,
          };
        }
        args[token.name] = choice;
        i++;
        break;
      }
    }
  }
  if (i < input.length) {
    const extra = text.slice(input[i]!.start).trim();
    return { kind: 'usage', problem: `unexpected "${extra.length > 40 ? `${extra.slice(0, 40)}…` : extra}"` };
  }
  return { kind: 'match', args };
}

/**
 * Matches `text` against a RegExp command (the escape hatch): anchored wherever the author
 * anchored it; named groups become `args`.
 */
export function matchRegExp(pattern: RegExp, text: string): PatternMatch {
  const re = new RegExp(pattern.source, pattern.flags.replace('g', '').replace('y', ''));
  const m = re.exec(text);
  if (!m) return { kind: 'none' };
  return { kind: 'match', args: { ...(m.groups ?? {}) } };
}
