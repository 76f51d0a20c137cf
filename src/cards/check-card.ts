/**
 * Checks an Adaptive Card against what Webex accepts and renders, using Microsoft's
 * `adaptivecards` object model (parse + validate, no DOM needed: unknown types, input ids,
 * duplicate ids, at most 5 actions, choice sets with choices...) plus Webex's own rules
 * (version 1.3 at most, the elements and actions Webex renders, regexes that compile, size).
 */
import { createRequire } from 'node:module';
import { WEBEX_MAX_CARD_VERSION } from '../protocol/limits.js';
import { isRecord as isObject } from '../util/is-record.js';
import { forEachObject, webexProblems } from './webex-rules.js';

const require = createRequire(import.meta.url);
// The package's `lib/` is ESM with extension-less imports Node cannot resolve; its UMD bundle works.
// (Its own typings point at its TypeScript sources, which do not compile under our settings,
// so the few members used are typed here.)
interface AdaptiveCardsModule {
  AdaptiveCard: new () => {
    parse(json: unknown, context: unknown): void;
    validateProperties(): { validationEvents: Array<{ message: string }> };
  };
  SerializationContext: new (targetVersion: unknown) => { eventCount: number; getEventAt(i: number): { message: string } };
  Versions: { v1_3: unknown };
}
const AC = require('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule;

/** Larger cards are refused: Webex publishes no limit, but big cards fail in clients. */
export const MAX_CARD_BYTES = 24 * 1024;

function versionAtMost(version: string, max: string): boolean {
  const [a1 = 0, a2 = 0] = version.split('.').map(Number);
  const [b1 = 0, b2 = 0] = max.split('.').map(Number);
  return a1 < b1 || (a1 === b1 && a2 <= b2);
}

export { forEachObject };

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
      problems.push(`Action.Submit "${String(o['title'] ?? o['id'] ?? '')}": "data" must be an object (Webex merges it into the inputs)`);
    }
  });

  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_3);
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    problems.push(e.message.replace(' Fallback will be used if present.', ' (not supported by Webex)'));
  }
  for (const e of parsed.validateProperties().validationEvents) problems.push(e.message);
  problems.push(...webexProblems(card, problems));
  return [...new Set(problems)];
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
