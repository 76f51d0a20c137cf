/**
 * Card templates: `cards/<id>.json` files are Adaptive Card templates
 * (`adaptivecards-templating`), checked at start (see `card-files.ts`) and rendered with data on
 * demand.
 *
 * Rendering rules:
 * - data goes in as template **data** only: values are never evaluated as expressions, so user
 *   text is safe in them;
 * - string data is escaped where the card renders markdown (a TextBlock's text, a fact...), so a
 *   user's `**urgent**` or `[Verify](https://…)` shows as typed; a value made with `markdown()`
 *   of the skill kit is kept as markdown (see `escaping-template.ts`);
 * - a template expression the data cannot fill (which would show a literal `${title}` in the
 *   card) is an error naming the expression, not a broken card in front of users;
 * - every `Action.Submit` gets `data._card = <id>` (see `card-tags.ts`).
 */
import { CardError } from '../errors.js';
import { withoutCardEscapes } from '../skill-kit/markdown.js';
import { CARD_ID_INPUT, tagSubmitActions } from './card-tags.js';
import { CardChecker, firstText } from './check-card.js';
import { compileTemplate, neutralised, unfilledExpressions } from './expand-template.js';

export { CARD_ID_INPUT, RESERVED_INPUT_KEYS, templateIdOf, withoutTemplateTags } from './card-tags.js';

/** A rendered card, ready to attach to a message. */
export interface RenderedCard {
  readonly id: string;
  readonly card: Record<string, unknown>;
  /** Text for clients that cannot show cards. */
  readonly fallbackText: string;
}

/** The loaded card templates. */
export interface CardRegistry {
  /** Template ids, sorted. */
  readonly ids: readonly string[];
  has(id: string): boolean;
  /**
   * Renders template `id` with `data`.
   * @throws {CardError} `CARD_UNKNOWN`, `CARD_RENDER_FAILED` (missing data, template error) or
   *   `CARD_INVALID` (the result is not a card Webex accepts).
   */
  render(id: string, data?: Readonly<Record<string, unknown>>): RenderedCard;
  /** Template `id` rendered with its sample data (checked at load), or `undefined` for an unknown id. */
  preview(id: string): Readonly<Record<string, unknown>> | undefined;
}

/** The library's error for template `id` (a broken expression), as a coded error naming the card. */
function templateError(id: string, err: unknown): CardError {
  return new CardError('CARD_RENDER_FAILED', id, `card "${id}": template error: ${(err as Error).message}`, {
    cause: err,
  });
}

function expand(
  id: string,
  template: (data: unknown) => Record<string, unknown>,
  data: unknown,
): Record<string, unknown> {
  try {
    return template(data);
  } catch (err) {
    throw templateError(id, err);
  }
}

/**
 * Builds a registry from already-parsed templates (used by `loadCards` and by tests), with the
 * previews `loadCards` made (a template without one previews as rendered with no data).
 */
export function createCardRegistry(
  templates: ReadonlyMap<string, unknown>,
  previews: ReadonlyMap<string, Record<string, unknown>> = new Map(),
): CardRegistry {
  const ids = [...templates.keys()].sort();
  // Each template parsed once, on first use; each card shape checked in full once.
  const compiled = new Map<string, (data: unknown) => Record<string, unknown>>();
  const compiledOf = (id: string): ((data: unknown) => Record<string, unknown>) | undefined => {
    let c = compiled.get(id);
    if (c === undefined && templates.has(id)) {
      try {
        c = compileTemplate(templates.get(id));
      } catch (err) {
        throw templateError(id, err);
      }
      compiled.set(id, c);
    }
    return c;
  };
  const checker = new CardChecker();
  return {
    ids,
    has: (id) => templates.has(id),
    render(id, data = {}) {
      const template = compiledOf(id);
      if (template === undefined) {
        throw new CardError(
          'CARD_UNKNOWN',
          id,
          `no card template "${id}" (known: ${ids.join(', ') || 'none'}); add cards/${id}.json`,
        );
      }
      const probe = unfilledExpressions(expand(id, template, neutralised(data)));
      if (probe.length > 0) {
        throw new CardError('CARD_RENDER_FAILED', id, `card "${id}": no data for ${probe.join(', ')}`);
      }
      const card = expand(id, template, data);
      const problems = checker.check(card);
      if (problems.length > 0) {
        throw new CardError('CARD_INVALID', id, `card "${id}" renders to an invalid card: ${problems.join('; ')}`);
      }
      tagSubmitActions(card, CARD_ID_INPUT, id);
      const text = firstText(card);
      // The fallback is plain text: the data shows as typed, without the card's escapes.
      const fallbackText =
        text === undefined ? `Card "${id}": open this message in Webex to see it.` : withoutCardEscapes(text);
      return { id, card, fallbackText };
    },
    preview(id) {
      if (!templates.has(id)) return undefined;
      const card = structuredClone(previews.get(id) ?? expand(id, compiledOf(id)!, {}));
      tagSubmitActions(card, CARD_ID_INPUT, id);
      return card;
    },
  };
}
