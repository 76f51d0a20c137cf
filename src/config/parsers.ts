/**
 * Parsers of environment values: each turns the text of one variable (trimmed, never empty) into
 * its value, or into an {@link Invalid} whose problems name the variable and say what is wanted.
 *
 * @example
 * port('3000', { name: 'PORT', projectRoot: '/srv/bot' }); // 3000
 * port('eighty', { name: 'PORT', projectRoot: '/srv/bot' }); // Invalid: PORT must be an integer from 0 to 65535, got "eighty"
 */
import path from 'node:path';
import { EMAIL_ADDRESS } from '../util/email.js';

/** What a parser knows besides the text: the variable's name (for problems) and the project folder. */
export interface ParseContext {
  readonly name: string;
  readonly projectRoot: string;
}

/** A value that could not be read: one or more problems, each naming the variable. */
export class Invalid {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    this.problems = problems;
  }
}

/** Turns the text of a variable into its value of type `T`, or {@link Invalid}. */
export type Parser<T> = (raw: string, context: ParseContext) => T | Invalid;

/** The problem `problems` (one or more), as a parser's answer. */
export function invalid(...problems: string[]): Invalid {
  return new Invalid(problems);
}

/** The parser of `parser`, its value changed by `convert` (units, rounding). */
export function map<T, U>(parser: Parser<T>, convert: (value: T) => U): Parser<U> {
  return (raw, context) => {
    const value = parser(raw, context);
    return value instanceof Invalid ? value : convert(value);
  };
}

/** Any text, as given. */
export const text: Parser<string> = (raw) => raw;

/** Text without whitespace inside (a token). */
export const token: Parser<string> = (raw, { name }) =>
  /\s/.test(raw) ? invalid(`${name} must not contain whitespace`) : raw;

/** Text of at least `minLength` characters (a secret); `hint` ends the problem, e.g. how to generate one. */
export function secret(minLength: number, hint = ''): Parser<string> {
  return (raw, { name }) =>
    raw.length < minLength ? invalid(`${name} must be at least ${minLength} characters${hint}`) : raw;
}

/** An absolute http(s) URL, as its text normalised by `URL`. */
export const httpUrl: Parser<string> = (raw, { name }) => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return invalid(`${name} must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return invalid(`${name} must use http or https, got "${url.protocol}"`);
  return url.toString();
};

/** An absolute http(s) URL as given, without trailing slashes (a base URL paths are added to). */
export const baseUrl: Parser<string> = (raw, context) => {
  const checked = httpUrl(raw, context);
  return checked instanceof Invalid ? checked : raw.replace(/\/+$/, '');
};

/** A URL of one of `protocols` (e.g. `redis:`), as given; `problem` says what is wanted. */
export function urlOf(protocols: readonly string[], problem: string): Parser<string> {
  return (raw, { name }) => {
    let protocol: string | undefined;
    try {
      protocol = new URL(raw).protocol;
    } catch {
      protocol = undefined;
    }
    return protocol !== undefined && protocols.includes(protocol) ? raw : invalid(`${name} ${problem}`);
  };
}

/** A TCP port: an integer from 0 (any free port) to 65535. */
export const port: Parser<number> = (raw, { name }) => {
  const value = Number(raw);
  return /^\d+$/.test(raw) && value <= 65535
    ? value
    : invalid(`${name} must be an integer from 0 to 65535, got "${raw}"`);
};

/** A number greater than 0, in `unit` (named in the problem). */
export function positive(unit: string): Parser<number> {
  return (raw, { name }) =>
    /^\d+(\.\d+)?$/.test(raw) && Number(raw) > 0
      ? Number(raw)
      : invalid(`${name} must be a positive number of ${unit}, got "${raw}"`);
}

/** A number of seconds, as milliseconds. */
export const seconds: Parser<number> = map(positive('seconds'), (s) => s * 1000);

/** `true`/`1`/`yes` or `false`/`0`/`no`, in any case. */
export const boolean: Parser<boolean> = (raw, { name }) => {
  const value = raw.toLowerCase();
  if (value === 'true' || value === '1' || value === 'yes') return true;
  if (value === 'false' || value === '0' || value === 'no') return false;
  return invalid(`${name} must be true or false, got "${raw}"`);
};

/** One of `choices`, in any case. */
export function oneOf<const T extends string>(choices: readonly T[]): Parser<T> {
  const wanted = choices.length === 2 ? `${choices[0]} or ${choices[1]}` : `one of ${choices.join(', ')}`;
  return (raw, { name }) => {
    const value = raw.toLowerCase();
    return (choices as readonly string[]).includes(value)
      ? (value as T)
      : invalid(`${name} must be ${wanted}, got "${raw}"`);
  };
}

/**
 * A comma-separated list, trimmed, lower case, without empty items, each made by `item` (which
 * returns the item, or the problem with it, quoting it); one problem per bad item.
 */
export function list(item: (value: string) => { value: string } | { problem: string }): Parser<readonly string[]> {
  return (raw, { name }) => {
    const values: string[] = [];
    const problems: string[] = [];
    for (const part of raw.split(',')) {
      const trimmed = part.trim().toLowerCase();
      if (trimmed === '') continue;
      const result = item(trimmed);
      if ('problem' in result) problems.push(`${name}: ${result.problem}`);
      else values.push(result.value);
    }
    return problems.length > 0 ? new Invalid(problems) : Object.freeze(values);
  };
}

const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/** Comma-separated e-mail domains (`example.com`, a leading `@` allowed), lower case. */
export const domains: Parser<readonly string[]> = list((value) => {
  const domain = value.replace(/^@/, '');
  return DOMAIN.test(domain) ? { value: domain } : { problem: `"${domain}" is not a domain like example.com` };
});

/** Comma-separated e-mail addresses, lower case. */
export const emails: Parser<readonly string[]> = list((value) =>
  EMAIL_ADDRESS.test(value) ? { value } : { problem: `"${value}" is not an e-mail address` },
);

/** An IANA time zone name (`Europe/Paris`, `UTC`), as the runtime's time zone data knows it. */
export const timeZone: Parser<string> = (raw, { name }) => {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: raw }).resolvedOptions().timeZone;
  } catch {
    return invalid(`${name} must be an IANA time zone such as Europe/Paris or UTC, got "${raw}"`);
  }
};

/** A folder, resolved against the project folder. */
export const folder: Parser<string> = (raw, { projectRoot }) => path.resolve(projectRoot, raw);
