/**
 * Forms as tool arguments: a command that declares the card form it opens (`opensForm`) takes
 * the form's inputs as optional arguments of its tool, so that the model can pass on what the
 * person already said ("an account for Ada Lovelace, ada@example.com"). Running the tool sends
 * the form with those inputs pre-filled (`src/cards/prefill.ts`); the person checks it and
 * presses its button: the bot never submits it.
 *
 * The inputs are read from the card's preview (the template rendered with its sample data), so
 * choices filled in from data at run time are described, not enumerated; a value is checked
 * against the card actually sent, and one that does not fit is left out.
 *
 * @example
 * const form = formOf(command, cards.preview);
 * formProperties(form!, new Set());
 * // → { fullName: { type: 'string', description: 'Full name', maxLength: 100 }, email: {...}, ... }
 */
import { type CardInput, DANGEROUS_KEYS, inputsOf } from '../cards/card-inputs.js';
import type { LoadedCommand } from '../routing/skill-loader.js';
import type { JsonSchema } from './provider.js';

/** The form a command opens, as its tool knows it. */
export interface CommandForm {
  readonly cardId: string;
  /** The form's inputs (from its preview), in card order. */
  readonly inputs: readonly CardInput[];
}

/** A card template by id, as the bot would send it with sample data (the registry's `preview`). */
export type FormCard = (cardId: string) => Readonly<Record<string, unknown>> | undefined;

/** The form `command` opens, or undefined (none declared, or no such card). */
export function formOf(command: LoadedCommand, formCard: FormCard | undefined): CommandForm | undefined {
  const cardId = command.command.opensForm;
  if (typeof cardId !== 'string' || formCard === undefined) return undefined;
  const card = formCard(cardId);
  if (card === undefined) return undefined;
  const inputs = inputsOf(card).filter((i) => !DANGEROUS_KEYS.has(i.id) && /^[A-Za-z0-9_-]{1,64}$/.test(i.id));
  return inputs.length > 0 ? { cardId, inputs } : undefined;
}

/** The schema of one input, for the model. */
function propertyOf(input: CardInput): JsonSchema {
  const { label } = input;
  switch (input.kind) {
    case 'text':
      return { type: 'string', description: label, ...(input.maxLength ? { maxLength: input.maxLength } : {}) };
    case 'number':
      return {
        type: 'number',
        description: label,
        ...(typeof input.min === 'number' ? { minimum: input.min } : {}),
        ...(typeof input.max === 'number' ? { maximum: input.max } : {}),
      };
    case 'date':
      return { type: 'string', description: `${label} (YYYY-MM-DD)`, format: 'date' };
    case 'time':
      return { type: 'string', description: `${label} (HH:MM, 24 h)` };
    case 'toggle':
      return { type: 'boolean', description: label };
    case 'choice':
    case 'choices': {
      const shown = input.choices.filter((c) => !c.value.includes('${'));
      const examples = shown.length > 0 ? ` (e.g. ${shown.map((c) => c.value).join(', ')})` : '';
      const which = `${label}: ${input.kind === 'choices' ? 'values' : 'the value'} of the form's choices${examples}`;
      return input.kind === 'choices'
        ? { type: 'array', items: { type: 'string' }, description: which }
        : { type: 'string', description: which };
    }
  }
}

/** The form's inputs as optional tool arguments, leaving out names the command's pattern takes. */
export function formProperties(form: CommandForm, taken: ReadonlySet<string>): Record<string, JsonSchema> {
  const properties: Record<string, JsonSchema> = {};
  for (const input of form.inputs) if (!taken.has(input.id)) properties[input.id] = propertyOf(input);
  return properties;
}

/** What the model reads about a command's form. */
export function formDescription(form: CommandForm): string {
  return `It opens a form for the person to check and send: give what they said for its fields (${form.inputs.map((i) => i.id).join(', ')}; all optional, never guessed) and it opens with them filled in; nothing is sent until the person presses its button.`;
}
