/**
 * Pre-filling a card form: the `value` of some of its inputs set before it is sent, so that the
 * person finds them filled in and only checks and sends the form. Each value must pass the rules
 * the input declares (the same check a submission meets: `checkInputValue`); one that does not is
 * left out, and the input stays as the card had it. Nothing is submitted: only the card changes.
 *
 * @example
 * const { card, filled } = prefillInputs(rendered.card, { fullName: 'Ada Lovelace', email: 'ada@example.com' });
 * // filled → ['fullName', 'email']; the card's two Input.Text elements now carry those `value`s
 */
import { type CardInput, DANGEROUS_KEYS, inputKindOf, inputsOf } from './card-inputs.js';
import { checkInputValue } from './validate-inputs.js';
import { forEachObject } from './webex-rules.js';

/** Values to put in a form's inputs before it is sent, by input id. */
export interface FormPrefill {
  /** The card template the values are for. */
  readonly cardId: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** A value that was not put in, and why. */
export interface RefusedValue {
  readonly id: string;
  readonly problem: string;
}

/** The card with its inputs pre-filled, and what was and was not put in. */
export interface Prefilled {
  readonly card: Record<string, unknown>;
  /** Ids of the inputs filled, in card order. */
  readonly filled: readonly string[];
  readonly refused: readonly RefusedValue[];
}

/** `value` as the text Webex would send for `input`, or undefined when it cannot be one. */
function asText(input: CardInput, value: unknown): string | undefined {
  if (typeof value === 'boolean') return input.kind === 'toggle' ? (value ? input.valueOn : input.valueOff) : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (input.kind !== 'choice' && input.kind !== 'choices') return text;
  // A choice may be named by its title ("People & HR") as well as its value ("people").
  const byTitle = (one: string): string =>
    input.choices.find(
      (c) => c.value.toLowerCase() === one.toLowerCase() || c.title.toLowerCase() === one.toLowerCase(),
    )?.value ?? one;
  return text
    .split(',')
    .map((v) => byTitle(v.trim()))
    .join(',');
}

/** The `value` an input element carries for `text` (a number for `Input.Number`). */
function cardValue(input: CardInput, text: string): string | number {
  return input.kind === 'number' ? Number(text) : text;
}

/**
 * A copy of `card` with the inputs named in `values` pre-filled (see the module's comment).
 * Keys that name no input, or an empty value, are ignored.
 */
export function prefillInputs(
  card: Readonly<Record<string, unknown>>,
  values: Readonly<Record<string, unknown>>,
): Prefilled {
  const copy = structuredClone(card) as Record<string, unknown>;
  const inputs = new Map(inputsOf(copy).map((i) => [i.id, i]));
  const accepted = new Map<string, string | number>();
  const refused: RefusedValue[] = [];
  for (const [id, value] of Object.entries(values)) {
    const input = inputs.get(id);
    if (!input || DANGEROUS_KEYS.has(id) || value === undefined || value === null || value === '') continue;
    const text = asText(input, value);
    if (text === undefined || text === '') {
      refused.push({ id, problem: `${input.label}: not a value this field takes` });
      continue;
    }
    const checked = checkInputValue(input, text);
    if ('problem' in checked) refused.push({ id, problem: checked.problem });
    else accepted.set(id, cardValue(input, text));
  }
  const filled: string[] = [];
  forEachObject(copy, (o) => {
    const id = o['id'];
    if (typeof id !== 'string' || !accepted.has(id) || inputKindOf(o) === undefined) return;
    o['value'] = accepted.get(id);
    filled.push(id);
  });
  return { card: copy, filled, refused };
}
