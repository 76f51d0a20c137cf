/**
 * Tags the bot puts in the `data` of a card's `Action.Submit`s, and reads back from the card as
 * it sent it (never from the submitted inputs, which the submitter controls):
 * - `_card`: the template the card was rendered from, so a submission finds the skill owning it;
 * - `_form`: on a card re-sent with errors, the message id of the card first sent, so the two
 *   are one form (one state, one submission);
 * - `_command`: on a command button, the command the button runs (as if typed by whoever clicks);
 * - `_confirm`: on the Yes and No of a confirmation card, its token and the answer (`<token>:yes`).
 *
 * Webex merges an action's data into the submitted inputs; these keys are removed from the
 * inputs before any handler sees them.
 */
import { isRecord } from '../util/is-record.js';
import { forEachObject } from './webex-rules.js';

/** Key naming the template the card was rendered from. */
export const CARD_ID_INPUT = '_card';
/** Key naming the form (first card message) a re-sent card belongs to. */
export const FORM_ID_INPUT = '_form';
/** Key of a command button: the command text it runs. */
export const COMMAND_INPUT = '_command';

/** Key of a confirmation card's buttons: `<token>:yes` or `<token>:no`. */
export const CONFIRM_INPUT = '_confirm';

/** Input keys the bot reserves for itself: never passed to a handler's `inputs`. */
export const RESERVED_INPUT_KEYS: readonly string[] = [CARD_ID_INPUT, FORM_ID_INPUT, COMMAND_INPUT, CONFIRM_INPUT];

function submitData(o: Record<string, unknown>): Record<string, unknown> | undefined {
  return o['type'] === 'Action.Submit' && isRecord(o['data']) ? o['data'] : undefined;
}

/** Sets `key: value` in the data of every Action.Submit of `card` (in place). */
export function tagSubmitActions(card: Record<string, unknown>, key: string, value: string): void {
  forEachObject(card, (o) => {
    if (o['type'] !== 'Action.Submit') return;
    o['data'] = { ...(submitData(o) ?? {}), [key]: value };
  });
}

/** The first string value of tag `key` on the card's submit actions, if any. */
export function tagOf(card: unknown, key: string): string | undefined {
  let found: string | undefined;
  forEachObject(card, (o) => {
    const tag = submitData(o)?.[key];
    if (found === undefined && typeof tag === 'string') found = tag;
  });
  return found;
}

/**
 * The template id a card (as the bot sent it) was rendered from: the tag on its submit actions.
 * `undefined` for a card without one (ready-made card JSON, such as a pasted card).
 */
export function templateIdOf(card: unknown): string | undefined {
  return tagOf(card, CARD_ID_INPUT);
}

/** The values of tag `key` on the card's buttons, as the bot sent them. */
function tagsOf(card: unknown, key: string): string[] {
  const values: string[] = [];
  forEachObject(card, (o) => {
    const c = submitData(o)?.[key];
    if (typeof c === 'string') values.push(c);
  });
  return values;
}

/** The commands the card's buttons run (`_command` tags), as the bot sent them. */
export function commandsOf(card: unknown): string[] {
  return tagsOf(card, COMMAND_INPUT);
}

/** The answers the card's confirmation buttons carry (`_confirm` tags), as the bot sent them. */
export function confirmTagsOf(card: unknown): string[] {
  return tagsOf(card, CONFIRM_INPUT);
}

/**
 * A copy of `card` with every reserved tag removed from its `Action.Submit`s: a ready-made card
 * (say, one a user pasted) must not pass for one of the bot's templates or run commands.
 */
export function withoutTemplateTags(card: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const copy = structuredClone(card) as Record<string, unknown>;
  forEachObject(copy, (o) => {
    const data = submitData(o);
    if (data) for (const key of RESERVED_INPUT_KEYS) delete data[key];
  });
  return copy;
}
