/**
 * Checks an Adaptive Card against what Webex accepts and renders, using Microsoft's
 * `adaptivecards` object model (parse + validate, no DOM needed: unknown types, input ids,
 * duplicate ids, at most 5 actions, choice sets with choices...) plus Webex's own rules
 * (version 1.3 at most, the elements and actions Webex renders, regexes that compile, size).
 */
import { WEBEX_MAX_CARD_VERSION } from '../protocol/limits.js';
import { isRecord as isObject } from '../util/is-record.js';
import { AC, type ValidationEvent } from './adaptivecards-lib.js';
import { forEachObject, webexProblems } from './webex-rules.js';

/** Larger cards are refused: Webex publishes no limit, but big cards fail in clients. */
export const MAX_CARD_BYTES = 24 * 1024;

function versionAtMost(version: string, max: string): boolean {
  const [a1 = 0, a2 = 0] = version.split('.').map(Number);
  const [b1 = 0, b2 = 0] = max.split('.').map(Number);
  return a1 < b1 || (a1 === b1 && a2 <= b2);
}

export { forEachObject };

/**
 * `Input.Text "email": ` for a problem with that element, so the author knows which one; '' when
 * the library names none, or its message names the id already.
 */
function subjectOf(event: ValidationEvent): string {
  const type = event.source?.getJsonTypeName?.();
  const id = event.source?.id;
  if ((type === undefined && id === undefined) || (id && event.message.includes(`"${id}"`))) return '';
  return `${type ?? 'element'}${id ? ` "${id}"` : ''}: `;
}

/**
 * Returns the problems that would stop Webex from accepting or rendering `card` as intended;
 * an empty array means the card is fine.
 *
 * @example
 * checkCard({ type: 'AdaptiveCard', version: '1.6', body: [] });
 * // → ['version "1.6" is newer than Webex renders (1.3 at most)']
 */
export function checkCard(card: unknown): string[] {
  if (!isObject(card)) return ['a card must be a JSON object'];
  const problems: string[] = [];
  if (card['type'] !== 'AdaptiveCard') problems.push('"type" must be "AdaptiveCard"');
  const version = card['version'];
  if (typeof version !== 'string' || !/^\d+\.\d+$/.test(version)) {
    problems.push('"version" is required, as a string like "1.3"');
  } else if (!versionAtMost(version, WEBEX_MAX_CARD_VERSION)) {
    problems.push(`version "${version}" is newer than Webex renders (${WEBEX_MAX_CARD_VERSION} at most)`);
  }
  const size = Buffer.byteLength(JSON.stringify(card));
  if (size > MAX_CARD_BYTES) problems.push(`the card is ${size} bytes; keep it under ${MAX_CARD_BYTES}`);
  if (problems.length > 0) return problems;

  forEachObject(card, (o) => {
    if (o['type'] === 'Action.Submit' && o['data'] !== undefined && !isObject(o['data'])) {
      problems.push(
        `Action.Submit "${String(o['title'] ?? o['id'] ?? '')}": "data" must be an object (Webex merges it into the inputs)`,
      );
    }
  });

  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_3);
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    problems.push(e.message.replace(' Fallback will be used if present.', ' (not supported by Webex)'));
  }
  for (const e of parsed.validateProperties().validationEvents) problems.push(`${subjectOf(e)}${e.message}`);
  problems.push(...webexProblems(card, problems));
  return [...new Set(problems)];
}

/** Properties whose text is content, not shape: the object-model check does not depend on what they say. */
const CONTENT_KEYS: ReadonlySet<string> = new Set([
  'text',
  'title',
  'subtitle',
  'value',
  'placeholder',
  'label',
  'errorMessage',
  'altText',
  'speak',
  'fallbackText',
]);

/**
 * The card with its content left out: texts become `x` (or stay empty), an `Action.Submit`'s
 * `data` becomes the list of its keys. Two renders of one template with the same shape check alike.
 */
export function cardShape(card: unknown): string {
  return JSON.stringify(card, (key, value: unknown) => {
    if (typeof value === 'string' && CONTENT_KEYS.has(key)) return value === '' ? '' : 'x';
    if (key === 'data' && isObject(value)) return `{${Object.keys(value).join(',')}}`;
    return value;
  });
}

/**
 * {@link checkCard}, remembering the shapes ({@link cardShape}) that passed: a rendered card whose
 * shape passed before gets only the checks that depend on its content (the size, the submit
 * data being an object); the object-model parse, the slow part (about a millisecond), runs once
 * per shape. A card that fails is checked in full every time, so its problems name it.
 */
export class CardChecker {
  private readonly passed = new Set<string>();

  constructor(private readonly maxShapes = 500) {}

  check(card: unknown): string[] {
    if (!isObject(card)) return checkCard(card);
    const shape = cardShape(card);
    if (this.passed.has(shape)) {
      const size = Buffer.byteLength(JSON.stringify(card));
      if (size <= MAX_CARD_BYTES) return [];
      return [`the card is ${size} bytes; keep it under ${MAX_CARD_BYTES}`];
    }
    const problems = checkCard(card);
    if (problems.length === 0) {
      if (this.passed.size >= this.maxShapes) this.passed.delete(this.passed.values().next().value!);
      this.passed.add(shape);
    }
    return problems;
  }
}

/** First TextBlock text of a card: a sensible fallback text when none is given. */
export function firstText(card: unknown): string | undefined {
  let found: string | undefined;
  forEachObject(card, (o) => {
    if (found === undefined && o['type'] === 'TextBlock' && typeof o['text'] === 'string' && o['text'].trim() !== '') {
      found = o['text'].trim();
    }
  });
  return found;
}
