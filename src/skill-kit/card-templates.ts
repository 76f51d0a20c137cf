/**
 * Typed cards. `CardTemplates` lists the project's card templates by id, with the data each
 * needs; it is empty here, and `cards/cards.d.ts` — generated from the templates by
 * `cards:check`, `dev`, the build and `test` — fills it in by declaration merging:
 *
 * ```ts
 * declare module 'webex-skill-bot' {
 *   interface CardTemplates { 'standup-report': { readonly members: ReadonlyArray<{ readonly name: CardText }> } }
 * }
 * ```
 *
 * With it, `reply.card(id, data)` accepts only those ids, each with the data its template reads,
 * and `onSubmit` only those ids (and `'*'`). A project without the file has untyped cards: any
 * id, any data, as before.
 */
import type { Markdown } from './markdown.js';

/**
 * The project's card templates by id → the data each needs (filled in by `cards/cards.d.ts`).
 * @example
 * // cards/cards.d.ts (generated)
 * declare module 'webex-skill-bot' { interface CardTemplates { hello: { readonly name: CardText } } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the project's generated cards/cards.d.ts (declaration merging)
export interface CardTemplates {}

/** A card field that shows text: a string, or `markdown(…)` for text meant as markdown. */
export type CardText = string | Markdown;

/** Whether the project's card types are generated (else cards are untyped). */
type Typed = [keyof CardTemplates] extends [never] ? false : true;

/** A card id: a key of {@link CardTemplates}, or any string when the project's cards are untyped. */
export type CardId = Typed extends true ? Extract<keyof CardTemplates, string> : string;

/** The data card `Id` needs (any object when cards are untyped). */
export type CardData<Id extends string> = Id extends keyof CardTemplates
  ? CardTemplates[Id]
  : Readonly<Record<string, unknown>>;

/** `data` may be left out only when the card needs none. */
export type CardDataArgument<Id extends string> = Id extends keyof CardTemplates
  ? // biome-ignore lint/complexity/noBannedTypes: `{}` is "needs no field", the test for an optional argument
    {} extends CardTemplates[Id]
    ? [data?: CardTemplates[Id]]
    : [data: CardTemplates[Id]]
  : [data?: Readonly<Record<string, unknown>>];

/** A key of a skill's `onSubmit`: a card id, or `'*'` for ready-made cards. */
export type SubmitCardId = CardId | '*';

/**
 * `onSubmit` with every key checked against the cards: an unknown id becomes a type error
 * naming it (only when the project's cards are typed).
 */
export type CheckedSubmitKeys<S> = Typed extends false
  ? unknown
  : S extends { readonly onSubmit: infer O }
    ? {
        readonly onSubmit: {
          readonly [K in keyof O]: K extends SubmitCardId ? O[K] : `there is no card "${K & string}" in cards/`;
        };
      }
    : unknown;
