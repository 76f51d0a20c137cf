/**
 * Card templates: `cards/<id>.json` files are Adaptive Card templates
 * (`adaptivecards-templating`), loaded once at start and rendered with data on demand.
 *
 * Rendering rules:
 * - data goes in as template **data** only: values are never evaluated as expressions, so user
 *   text is safe in them;
 * - a template expression the data cannot fill (which would show a literal `${title}` in the
 *   card) is an error naming the expression, not a broken card in front of users;
 * - every `Action.Submit` gets `data._card = <id>`: the card the bot sent says which template it
 *   came from, so a submission finds the skill owning it (the bot reads the tag from its own
 *   message, never from the submitted inputs, which the submitter controls).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { CardError } from '../errors.js';
import { checkCard, firstText, forEachObject } from './check-card.js';

/** Key, in each `Action.Submit`'s data, naming the template the card was rendered from. */
export const CARD_ID_INPUT = '_card';

/** Input keys the bot reserves for itself: never passed to a handler's `inputs`. */
export const RESERVED_INPUT_KEYS: readonly string[] = [CARD_ID_INPUT];

const CARD_ID = /^[a-z0-9][a-z0-9-_]*$/i;

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
}

/** A copy of `data` with every string replaced by a neutral one, to find unfilled expressions. */
function neutralised(value: unknown): unknown {
  if (typeof value === 'string') return 'x';
  if (Array.isArray(value)) return value.map(neutralised);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, neutralised(v)]));
  }
  return value;
}

/** Template expressions left in a rendered card (`${...}`): data the template wanted but did not get. */
function unfilledExpressions(rendered: unknown): string[] {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') for (const m of v.matchAll(/\$\{[^}]*\}/g)) found.add(m[0]);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(visit);
  };
  visit(rendered);
  return [...found];
}

function expand(id: string, template: unknown, data: unknown): Record<string, unknown> {
  try {
    return new ACData.Template(template).expand({ $root: data }) as Record<string, unknown>;
  } catch (err) {
    throw new CardError('CARD_RENDER_FAILED', id, `card "${id}": template error: ${(err as Error).message}`, { cause: err });
  }
}

/** Adds `_card: id` to the data of every Action.Submit, so submissions name their card. */
function tagSubmitActions(id: string, card: Record<string, unknown>): void {
  forEachObject(card, (o) => {
    if (o['type'] !== 'Action.Submit') return;
    const data = o['data'];
    o['data'] = { ...(typeof data === 'object' && data !== null ? data : {}), [CARD_ID_INPUT]: id };
  });
}

/**
 * The template id a card (as the bot sent it) was rendered from: the tag on its submit actions.
 * `undefined` for a card without one (ready-made card JSON, such as a pasted card).
 */
export function templateIdOf(card: unknown): string | undefined {
  let id: string | undefined;
  forEachObject(card, (o) => {
    const data = o['data'];
    if (id === undefined && o['type'] === 'Action.Submit' && typeof data === 'object' && data !== null) {
      const tag = (data as Record<string, unknown>)[CARD_ID_INPUT];
      if (typeof tag === 'string') id = tag;
    }
  });
  return id;
}

/**
 * A copy of `card` with the template tag removed from every `Action.Submit`: a ready-made card
 * (say, one a user pasted) must not pass for one of the bot's templates.
 */
export function withoutTemplateTags(card: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const copy = structuredClone(card) as Record<string, unknown>;
  forEachObject(copy, (o) => {
    const data = o['data'];
    if (o['type'] === 'Action.Submit' && typeof data === 'object' && data !== null) delete (data as Record<string, unknown>)[CARD_ID_INPUT];
  });
  return copy;
}

/** Builds a registry from already-parsed templates (used by `loadCards` and by tests). */
export function createCardRegistry(templates: ReadonlyMap<string, unknown>): CardRegistry {
  const ids = [...templates.keys()].sort();
  return {
    ids,
    has: (id) => templates.has(id),
    render(id, data = {}) {
      const template = templates.get(id);
      if (template === undefined) {
        throw new CardError('CARD_UNKNOWN', id, `no card template "${id}" (known: ${ids.join(', ') || 'none'}); add cards/${id}.json`);
      }
      const probe = unfilledExpressions(expand(id, template, neutralised(data)));
      if (probe.length > 0) {
        throw new CardError('CARD_RENDER_FAILED', id, `card "${id}": no data for ${probe.join(', ')}`);
      }
      const card = expand(id, template, data);
      const problems = checkCard(card);
      if (problems.length > 0) {
        throw new CardError('CARD_INVALID', id, `card "${id}" renders to an invalid card: ${problems.join('; ')}`);
      }
      tagSubmitActions(id, card);
      return { id, card, fallbackText: firstText(card) ?? `Card "${id}": open this message in Webex to see it.` };
    },
  };
}

/**
 * Loads every `*.json` in `dir` as a card template; the card id is the file name without `.json`.
 *
 * @throws {CardError} `CARD_LOAD_FAILED` naming the file, for unreadable JSON, a template that
 *   is not an Adaptive Card, or a bad file name.
 */
export function loadCards(dir: string): CardRegistry {
  const templates = new Map<string, unknown>();
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return createCardRegistry(templates);
    throw err;
  }
  for (const file of files) {
    const id = file.slice(0, -'.json'.length);
    const where = path.join(dir, file);
    if (!CARD_ID.test(id)) throw new CardError('CARD_LOAD_FAILED', id, `${where}: card ids are letters, digits, "-" and "_"`);
    let template: unknown;
    try {
      template = JSON.parse(readFileSync(where, 'utf8'));
    } catch (err) {
      throw new CardError('CARD_LOAD_FAILED', id, `${where}: not valid JSON (${(err as Error).message})`, { cause: err });
    }
    const t = template as Record<string, unknown> | null;
    if (typeof t !== 'object' || t === null || t['type'] !== 'AdaptiveCard' || typeof t['version'] !== 'string') {
      throw new CardError('CARD_LOAD_FAILED', id, `${where}: a card template must be an object with "type": "AdaptiveCard" and a "version"`);
    }
    templates.set(id, template);
  }
  return createCardRegistry(templates);
}
