/**
 * Types of card inputs as a submit handler receives them. A form handler names each input of
 * its card with a kind, and its `inputs` are typed from that:
 *
 * ```ts
 * InputsOf<{ name: 'text'; age: 'number?'; tags: 'choices'; ok: 'toggle' }>
 * // { name: string; age: number | undefined; tags: string[]; ok: boolean }
 * ```
 *
 * At start the bot checks each form's kinds against its card (`Input.Text` is `text`,
 * `Input.Number` `number`, `Input.Date` `date`, `Input.Time` `time`, `Input.Toggle` `toggle`,
 * `Input.ChoiceSet` `choice`, or `choices` with `isMultiSelect`; `?` when not `isRequired`), so
 * the types cannot drift from the card.
 */

/** What kind of value an input gives. */
export type InputKind = 'text' | 'number' | 'date' | 'time' | 'toggle' | 'choice' | 'choices';

/** An input's kind, with `?` when the card does not require it (a toggle always has a value). */
export type InputSpecKind = InputKind | `${Exclude<InputKind, 'toggle'>}?`;

/** A form's inputs: each input id of the card, with its kind. */
export type InputSpec = Readonly<Record<string, InputSpecKind>>;

/** A value a handler receives for an input. */
export type InputValue = string | number | boolean | readonly string[];

type ValueOfKind<K extends string> = K extends 'number'
  ? number
  : K extends 'toggle'
    ? boolean
    : K extends 'choices'
      ? readonly string[]
      : string;

/** The typed `inputs` of a form with inputs `S`. */
export type InputsOf<S extends InputSpec> = {
  readonly [K in keyof S]: S[K] extends `${infer B}?`
    ? B extends 'choices'
      ? readonly string[]
      : ValueOfKind<B> | undefined
    : ValueOfKind<S[K]>;
};
