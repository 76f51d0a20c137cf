/**
 * A card sent again with its errors shown: a copy of the card as the bot sent it, with what the
 * user typed kept in each input, a line in the attention colour under each field that is wrong,
 * and a banner at the top. Its submit buttons carry the form's id (`_form`), so the copy and
 * the original are one form.
 */
import { isRecord } from '../util/is-record.js';
import { FORM_ID_INPUT, tagSubmitActions } from './card-tags.js';
import { inputKindOf } from './card-inputs.js';
import { checkCard } from './check-card.js';
import type { FieldError } from './validate-inputs.js';
import { forEachObject } from './webex-rules.js';

const ERROR_ID_PREFIX = '_error_';
const BANNER_ID = '_errors_banner';

/** Puts `typed` back into each input of `o` (or clears it when nothing was typed). */
function keepTyped(o: Record<string, unknown>, typed: Readonly<Record<string, string>>): void {
  const id = o['id'];
  const kind = inputKindOf(o);
  if (kind === undefined || typeof id !== 'string') return;
  const value = typed[id];
  if (value === undefined) {
    if (kind !== 'toggle') delete o['value'];
    return;
  }
  o['value'] = kind === 'number' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
}

/** Removes the error lines of an earlier round, so errors never pile up. */
function withoutOldErrors(value: unknown): void {
  forEachObject(value, (o) => {
    for (const [key, v] of Object.entries(o)) {
      if (Array.isArray(v)) {
        o[key] = v.filter(
          (e) =>
            !(
              isRecord(e) &&
              typeof e['id'] === 'string' &&
              (e['id'].startsWith(ERROR_ID_PREFIX) || e['id'] === BANNER_ID)
            ),
        );
      }
    }
  });
}

/** Inserts an error line after each input in `errors`, wherever the input sits. */
function insertErrorLines(value: unknown, byId: ReadonlyMap<string, string>): void {
  forEachObject(value, (o) => {
    for (const v of Object.values(o)) {
      if (!Array.isArray(v)) continue;
      for (let i = v.length - 1; i >= 0; i--) {
        const e = v[i] as unknown;
        if (!isRecord(e) || inputKindOf(e) === undefined || typeof e['id'] !== 'string') continue;
        const message = byId.get(e['id']);
        if (message !== undefined) {
          v.splice(i + 1, 0, {
            type: 'TextBlock',
            id: `${ERROR_ID_PREFIX}${e['id']}`,
            text: message,
            color: 'Attention',
            size: 'Small',
            spacing: 'None',
            wrap: true,
          });
        }
      }
    }
  });
}

/**
 * The card to send again, or `undefined` when the copy would not be a card Webex takes (the
 * caller then lists the errors in a text reply).
 *
 * @param sent the card as the bot sent it
 * @param typed what was submitted for each input, as strings
 * @param errors each field's problem; errors of ids the card does not show go in the banner
 * @param formId the id of the form (the first card message) the copy belongs to
 */
export function cardWithErrors(
  sent: Readonly<Record<string, unknown>>,
  typed: Readonly<Record<string, string>>,
  errors: readonly FieldError[],
  formId: string,
): Record<string, unknown> | undefined {
  const card = structuredClone(sent) as Record<string, unknown>;
  withoutOldErrors(card);
  forEachObject(card, (o) => keepTyped(o, typed));
  const shownIds = new Set<string>();
  forEachObject(card, (o) => {
    if (inputKindOf(o) !== undefined && typeof o['id'] === 'string') shownIds.add(o['id']);
  });
  const byId = new Map<string, string>();
  for (const e of errors)
    if (shownIds.has(e.id)) byId.set(e.id, byId.has(e.id) ? `${byId.get(e.id)!} ${e.message}` : e.message);
  insertErrorLines(card, byId);
  const unplaced = errors.filter((e) => !shownIds.has(e.id)).map((e) => e.message);
  const count = byId.size;
  const banner = [
    count > 0
      ? `Please fix ${count === 1 ? 'the field' : `the ${count} fields`} marked below, then send again.`
      : 'Please check the form, then send again.',
    ...unplaced,
  ].join(' ');
  const body = Array.isArray(card['body']) ? card['body'] : [];
  card['body'] = [
    { type: 'TextBlock', id: BANNER_ID, text: banner, color: 'Attention', weight: 'Bolder', wrap: true },
    ...body,
  ];
  tagSubmitActions(card, FORM_ID_INPUT, formId);
  return checkCard(card).length === 0 ? card : undefined;
}
