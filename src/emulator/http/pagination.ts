/**
 * Paging of list responses as Webex does it: `max` items per page and an absolute
 * `Link: <url>; rel="next"` header while more remain (the SDK's `page.next()` follows it).
 */
import { badRequest } from '../errors.js';
import type { ApiRequest, ApiResponse } from './router.js';

/** Webex's upper bound for `max` on most lists. */
export const MAX_PAGE_SIZE = 1000;

/** Reads `max`; 400 when it is not a positive integer. Values above `limit` are capped. */
export function readMax(query: URLSearchParams, defaultMax: number, limit: number = MAX_PAGE_SIZE): number {
  const raw = query.get('max');
  if (raw === null || raw === '') return defaultMax;
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw badRequest(`max must be a positive integer (got ${JSON.stringify(raw)})`);
  return Math.min(Number(raw), limit);
}

function readCursor(query: URLSearchParams): number {
  const raw = query.get('cursor');
  if (raw === null) return 0;
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  if (!/^offset:\d+$/.test(text)) throw badRequest('cursor is not valid: use the Link header of the previous page');
  return Number(text.slice('offset:'.length));
}

/**
 * One page of `items` (already filtered and sorted) as a `{ items }` response, with a `Link`
 * header to the next page when there is one.
 */
export function page<T>(req: ApiRequest, items: T[], defaultMax: number, limit?: number): ApiResponse {
  const max = readMax(req.query, defaultMax, limit);
  const offset = readCursor(req.query);
  const slice = items.slice(offset, offset + max);
  const headers: Record<string, string> = {};
  if (offset + max < items.length) {
    const next = new URLSearchParams(req.query);
    next.set('max', String(max));
    next.set('cursor', Buffer.from(`offset:${offset + max}`, 'utf8').toString('base64url'));
    headers['Link'] = `<${req.origin}${req.path}?${next.toString()}>; rel="next"`;
  }
  return { status: 200, body: { items: slice }, headers };
}
