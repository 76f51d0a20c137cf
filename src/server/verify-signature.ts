/**
 * Webhook signature verification: `X-Spark-Signature` is the lowercase hex HMAC-SHA1 of the
 * **raw request bytes**, keyed by the webhook secret. Verification runs on the bytes as
 * received (never on re-serialised JSON, which differs in key order, spacing and escapes) and
 * compares in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Length of a hex SHA-1 digest. */
const SHA1_HEX_LENGTH = 40;

/** Computes the signature Webex sends for `rawBody`. */
export function signBody(secret: string, rawBody: Buffer | string): string {
  return createHmac('sha1', secret).update(rawBody).digest('hex');
}

/**
 * True when `signature` is the HMAC-SHA1 of `rawBody` under `secret`.
 * Missing, short, non-hex or wrong signatures are all simply `false`.
 *
 * @example
 * if (!verifySignature(secret, req.rawBody, req.get('x-spark-signature'))) res.sendStatus(401);
 */
export function verifySignature(secret: string, rawBody: Buffer, signature: string | undefined): boolean {
  if (typeof signature !== 'string') return false;
  const given = signature.trim().toLowerCase();
  if (given.length !== SHA1_HEX_LENGTH || !/^[0-9a-f]+$/.test(given)) return false;
  const expected = createHmac('sha1', secret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}
