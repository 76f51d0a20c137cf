/**
 * The inputs and submit buttons a card declares, read from the card as the bot sent it: the
 * rules server-side validation enforces, and the buttons a submission can come from.
 */
import type { InputKind } from '../skill-kit/input-types.js';
import { isRecord } from '../util/is-record.js';
import { RESERVED_INPUT_KEYS } from './card-tags.js';
import { forEachObject } from './webex-rules.js';

export type { InputKind };

/** One input of a card, with the rules it declares. */
export interface CardInput {
  readonly id: string;
  readonly kind: InputKind;
  /** How the input is named to the user: its label, else its placeholder, else its id. */
  readonly label: string;
  readonly required: boolean;
  readonly errorMessage: string | undefined;
  readonly regex: string | undefined;
  readonly maxLength: number | undefined;
  /** `Input.Number`: numbers; `Input.Date` / `Input.Time`: strings as in the card. */
  readonly min: number | string | undefined;
  readonly max: number | string | undefined;
  /** `Input.ChoiceSet`: each choice's value and title. */
  readonly choices: ReadonlyArray<{ readonly value: string; readonly title: string }>;
  /** `Input.Toggle`: the values for on and off (default "true" / "false"). */
  readonly valueOn: string;
  readonly valueOff: string;
}

/** A submit button of a card: its own data (reserved tags removed) and whether it sends inputs. */
export interface CardSubmitButton {
  readonly data: Readonly<Record<string, unknown>>;
  readonly sendsInputs: boolean;
}

/** Keys that must never become object properties from untrusted data. */
export const DANGEROUS_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const KIND_OF_TYPE: Readonly<Record<string, InputKind>> = {
  'Input.Text': 'text',
  'Input.Number': 'number',
  'Input.Date': 'date',
  'Input.Time': 'time',
  'Input.Toggle': 'toggle',
};

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The input's kind, or `undefined` when `o` is not an input. */
export function inputKindOf(o: Readonly<Record<string, unknown>>): InputKind | undefined {
  const type = o['type'];
  if (type === 'Input.ChoiceSet') return o['isMultiSelect'] === true ? 'choices' : 'choice';
  return typeof type === 'string' ? KIND_OF_TYPE[type] : undefined;
}

/** Every input of `card` (nested cards included), in card order; inputs without an id are skipped. */
export function inputsOf(card: unknown): CardInput[] {
  const inputs: CardInput[] = [];
  forEachObject(card, (o) => {
    const kind = inputKindOf(o);
    const id = str(o['id']);
    if (kind === undefined || id === undefined || id === '') return;
    const choices = Array.isArray(o['choices'])
      ? o['choices']
          .filter(isRecord)
          .map((c) => ({ value: String(c['value'] ?? ''), title: String(c['title'] ?? c['value'] ?? '') }))
      : [];
    const bound = (v: unknown): number | string | undefined =>
      typeof v === 'number' || typeof v === 'string' ? v : undefined;
    inputs.push({
      id,
      kind,
      label: str(o['label'])?.trim() || str(o['placeholder'])?.trim() || str(o['title'])?.trim() || id,
      required: o['isRequired'] === true,
      errorMessage: str(o['errorMessage']),
      regex: kind === 'text' ? str(o['regex']) : undefined,
      maxLength:
        kind === 'text' && typeof o['maxLength'] === 'number' && o['maxLength'] > 0 ? o['maxLength'] : undefined,
      min: bound(o['min']),
      max: bound(o['max']),
      choices,
      valueOn: str(o['valueOn']) ?? 'true',
      valueOff: str(o['valueOff']) ?? 'false',
    });
  });
  return inputs;
}

/** Every `Action.Submit` of `card` (selectActions and nested cards included). */
export function submitButtonsOf(card: unknown): CardSubmitButton[] {
  const buttons: CardSubmitButton[] = [];
  forEachObject(card, (o) => {
    if (o['type'] !== 'Action.Submit') return;
    const data = isRecord(o['data']) ? { ...o['data'] } : {};
    for (const key of RESERVED_INPUT_KEYS) delete data[key];
    buttons.push({ data, sendsInputs: o['associatedInputs'] !== 'none' });
  });
  return buttons;
}
