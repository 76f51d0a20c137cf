/**
 * The notify endpoint's bearer token, compared in constant time: both sides are hashed first, so
 * the comparison takes as long whatever the length or the first wrong character of what was sent.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * True when the `Authorization` header is `Bearer <token>`.
 * @example bearerMatches('Bearer s3cret-s3cret-s3cret', 's3cret-s3cret-s3cret') // true
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  // Compared even without a header, so that a missing and a wrong token take the same time.
  const same = timingSafeEqual(digest(m?.[1] ?? ''), digest(token));
  return m !== null && same;
}
