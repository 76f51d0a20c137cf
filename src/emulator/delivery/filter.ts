/**
 * Webhook filters: `key=value` pairs joined by `&` (values URL-encoded), e.g.
 * `roomId=Y2lz...&mentionedPeople=me`. An event passes when every pair matches its `data`.
 */
import { badRequest } from '../errors.js';
import type { WebexEvent } from '../events.js';

/** Filter keys the emulator understands (those of the resources it emulates). */
export const FILTER_KEYS = [
  'roomId',
  'roomType',
  'personId',
  'personEmail',
  'mentionedPeople',
  'hasFiles',
  'type',
  'isLocked',
  'messageId',
  'isModerator',
] as const;

/** One parsed `key=value` pair. */
export interface FilterPair {
  key: (typeof FILTER_KEYS)[number];
  value: string;
}

/** Parses a filter; 400 naming the problem when it is malformed or uses an unknown key. */
export function parseFilter(filter: string): FilterPair[] {
  if (filter.trim() === '') return [];
  return filter.split('&').map((part) => {
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1)
      throw badRequest(`Invalid filter ${JSON.stringify(part)}: expected key=value pairs joined by &`);
    const key = part.slice(0, eq).trim();
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      throw badRequest(`Invalid filter ${JSON.stringify(part)}: the value is not URL-encoded correctly`);
    }
    if (!(FILTER_KEYS as readonly string[]).includes(key))
      throw badRequest(`Unsupported filter key ${JSON.stringify(key)}; supported: ${FILTER_KEYS.join(', ')}`);
    return { key: key as FilterPair['key'], value };
  });
}

/** True when the event passes every pair; `me` stands for the webhook owner. */
export function filterMatches(pairs: FilterPair[], e: WebexEvent, ownerId: string): boolean {
  return pairs.every(({ key, value }) => {
    if (key === 'mentionedPeople') {
      const wanted = value.split(',').map((v) => (v.trim() === 'me' ? ownerId : v.trim()));
      const mentioned = e.mentionedPeople ?? [];
      return wanted.some((id) => mentioned.includes(id));
    }
    if (key === 'hasFiles') return String(e.hasFiles === true) === value;
    let actual: unknown;
    if (e.resource === 'rooms' && key === 'roomId') actual = e.data.id;
    else if (e.resource === 'rooms' && key === 'roomType') actual = e.data['type'];
    else actual = e.data[key];
    if (actual === undefined) return false;
    if (key === 'personEmail') return String(actual).toLowerCase() === value.toLowerCase();
    return String(actual) === value;
  });
}
