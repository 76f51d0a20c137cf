/**
 * Server-side validation of a card submission against the rules the card itself declares
 * (`isRequired`, `regex`, `maxLength`, `min`/`max`, formats, choices, toggle values), read from
 * the card as the bot sent it. Webex clients check some of these before sending, but not all
 * clients, and a submission is only a JSON body: the bot checks again.
 *
 * What comes out is typed: numbers for `Input.Number`, booleans for `Input.Toggle`, a string
 * list for a multi-select `Input.ChoiceSet`, strings otherwise; an empty optional input is
 * `undefined` (a multi-select gives `[]`, a toggle `false`). Keys the card does not declare, and
 * `__proto__`-like keys, are dropped.
 */
import type { InputValue } from '../skill-kit/input-types.js';
import { DANGEROUS_KEYS, inputsOf, submitButtonsOf, type CardInput } from './card-inputs.js';
import { RESERVED_INPUT_KEYS } from './card-tags.js';
import { compileInputRegex, MAX_CHECKED_LENGTH } from './input-regex.js';

/** One field's problem, as shown next to it. */
export interface FieldError {
  /** The input's id. */
  readonly id: string;
  /** The input's label (what the user sees). */
  readonly label: string;
  readonly message: string;
}

/** The outcome of validating a submission. */
export type Validation =
  /** Every rule holds: `inputs` typed; `button` is the data of the button pressed. */
  | {
      readonly kind: 'valid';
      readonly inputs: Readonly<Record<string, InputValue | undefined>>;
      readonly button: Readonly<Record<string, unknown>>;
    }
  /** Some fields break their rules; `typed` is what was submitted for each input (to show it again). */
  | {
      readonly kind: 'invalid';
      readonly errors: readonly FieldError[];
      readonly typed: Readonly<Record<string, string>>;
    }
  /** The submission matches none of the card's buttons (it was not made with this card). */
  | { readonly kind: 'mismatch'; readonly problem: string };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function validDate(v: string): boolean {
  const m = DATE.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** `HH:MM:SS` for comparing times written with or without seconds. */
const fullTime = (v: string): string => (v.length === 5 ? `${v}:00` : v);

/** What checking one value gives: the problem, or the typed value. */
export type Checked = { problem: string } | { value: InputValue };

/** Checks one non-empty value against its input's rules: the problem, or the typed value. */
export function checkInputValue(input: CardInput, value: string): Checked {
  switch (input.kind) {
    case 'text':
      return checkText(input, value);
    case 'number':
      return checkNumber(input, value);
    case 'date':
      return checkDate(input, value);
    case 'time':
      return checkTime(input, value);
    case 'toggle':
      if (value !== input.valueOn && value !== input.valueOff) return { problem: `${input.label} must be on or off` };
      return { value: value === input.valueOn };
    case 'choice':
    case 'choices':
      return checkChoice(input, value);
  }
}

function checkText(input: CardInput, value: string): Checked {
  const { label } = input;
  if (input.maxLength !== undefined && value.length > input.maxLength) {
    return { problem: `${label}: at most ${input.maxLength} characters (this has ${value.length})` };
  }
  if (input.regex === undefined) return { value };
  // The card's own pattern: matched in linear time (see input-regex.ts), on a value of bounded length.
  if (value.length > MAX_CHECKED_LENGTH)
    return { problem: `${label}: at most ${MAX_CHECKED_LENGTH} characters (this has ${value.length})` };
  const re = compileInputRegex(input.regex);
  if (!(re instanceof Error) && !re.test(value))
    return { problem: input.errorMessage ?? `${label}: not in the expected format` };
  return { value };
}

function checkNumber(input: CardInput, value: string): Checked {
  const { label } = input;
  if (!NUMBER.test(value.trim())) return { problem: `${label} must be a number` };
  const n = Number(value);
  if (typeof input.min === 'number' && n < input.min) return { problem: `${label} must be at least ${input.min}` };
  if (typeof input.max === 'number' && n > input.max) return { problem: `${label} must be at most ${input.max}` };
  return { value: n };
}

function checkDate(input: CardInput, value: string): Checked {
  const { label } = input;
  if (!validDate(value)) return { problem: `${label} must be a date (YYYY-MM-DD)` };
  if (typeof input.min === 'string' && value < input.min)
    return { problem: `${label} must be on or after ${input.min}` };
  if (typeof input.max === 'string' && value > input.max)
    return { problem: `${label} must be on or before ${input.max}` };
  return { value };
}

function checkTime(input: CardInput, value: string): Checked {
  const { label } = input;
  if (!TIME.test(value)) return { problem: `${label} must be a time (HH:MM)` };
  if (typeof input.min === 'string' && fullTime(value) < fullTime(input.min))
    return { problem: `${label} must be at ${input.min} or later` };
  if (typeof input.max === 'string' && fullTime(value) > fullTime(input.max))
    return { problem: `${label} must be at ${input.max} or earlier` };
  return { value };
}

function checkChoice(input: CardInput, value: string): Checked {
  const values =
    input.kind === 'choices'
      ? [
          ...new Set(
            value
              .split(',')
              .map((v) => v.trim())
              .filter((v) => v !== ''),
          ),
        ]
      : [value];
  if (values.some((v) => !input.choices.some((c) => c.value === v))) {
    return {
      problem: `${input.label}: pick ${input.kind === 'choices' ? 'from' : 'one of'}: ${input.choices.map((c) => c.title).join(', ')}`,
    };
  }
  return { value: input.kind === 'choices' ? values : value };
}

/** What a missing or empty input gives a handler. */
function emptyValue(input: CardInput): InputValue | undefined {
  if (input.kind === 'toggle') return false;
  if (input.kind === 'choices') return [];
  return undefined;
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Validates `submitted` (the attachment action's inputs, untrusted) against `card` (as sent).
 *
 * @example
 * validateSubmission(card, { email: 'not-an-email', start: '2020-01-01' })
 * // → { kind: 'invalid', errors: [{ id: 'email', label: 'E-mail', message: 'Enter an e-mail address' }, …], typed: {…} }
 */
export function validateSubmission(card: unknown, submitted: Readonly<Record<string, unknown>>): Validation {
  const raw = new Map<string, unknown>();
  for (const [key, value] of Object.entries(submitted)) {
    if (!DANGEROUS_KEYS.has(key) && !RESERVED_INPUT_KEYS.includes(key)) raw.set(key, value);
  }
  const inputs = inputsOf(card).filter((i) => !DANGEROUS_KEYS.has(i.id));
  const ids = new Set(inputs.map((i) => i.id));

  // Webex merges the pressed button's data into the inputs: it says which button it was.
  const buttons = submitButtonsOf(card)
    .filter((b) => Object.entries(b.data).every(([k, v]) => ids.has(k) || (raw.has(k) && sameJson(raw.get(k), v))))
    .sort((a, b) => Object.keys(b.data).length - Object.keys(a.data).length);
  const button = buttons[0];
  if (button === undefined)
    return { kind: 'mismatch', problem: 'the submission does not match any button of the card' };
  const buttonData = Object.fromEntries(
    Object.entries(button.data).filter(([k]) => !ids.has(k) && !DANGEROUS_KEYS.has(k)),
  );
  if (!button.sendsInputs) return { kind: 'valid', inputs: {}, button: buttonData };

  const errors: FieldError[] = [];
  const typed: Record<string, string> = {};
  const values: Record<string, InputValue | undefined> = {};
  for (const input of inputs) {
    const value = raw.get(input.id);
    if (value !== undefined && typeof value !== 'string') {
      errors.push({ id: input.id, label: input.label, message: `${input.label}: the value must be text` });
      continue;
    }
    if (value !== undefined) typed[input.id] = value;
    const empty =
      value === undefined ||
      value.trim() === '' ||
      (input.kind === 'choices' && value.split(',').every((v) => v.trim() === ''));
    if (empty) {
      if (input.required)
        errors.push({ id: input.id, label: input.label, message: input.errorMessage ?? `${input.label} is required` });
      values[input.id] = emptyValue(input);
      continue;
    }
    const result = checkInputValue(input, value);
    if ('problem' in result) errors.push({ id: input.id, label: input.label, message: result.problem });
    else values[input.id] = result.value;
  }
  if (errors.length > 0) return { kind: 'invalid', errors, typed };
  return { kind: 'valid', inputs: values, button: buttonData };
}
