/**
 * Webhook signatures: `X-Spark-Signature` is the lowercase hex HMAC-SHA1 of the **raw request
 * bytes**, keyed by the webhook's secret. Verification runs on the bytes as received (never on
 * re-serialised JSON, which differs in key order, spacing and escapes) and compares in constant
 * time. The emulator signs its deliveries with the same function the bot verifies with.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying the signature (lower case, as Node presents header names). */
export const SIGNATURE_HEADER = 'x-spark-signature';

/** Length of a hex SHA-1 digest. */
const SHA1_HEX_LENGTH = 40;

/**
 * Computes the signature Webex sends for `rawBody`.
 * @example signBody('my-secret', Buffer.from('{"id":"…"}')) // → '9f0c…' (40 hex characters)
 */
export function signBody(secret: string, rawBody: Buffer | string): string {
  return createHmac('sha1', secret).update(rawBody).digest('hex');
}

/**
 * True when `signature` is the HMAC-SHA1 of `rawBody` under one of `secrets`.
 * Missing, short, non-hex or wrong signatures are all simply `false`.
 *
 * @param secrets the current secret, and during a rotation the previous one too
 * @example
 * if (!verifySignature([secret], req.rawBody, req.get('x-spark-signature'))) res.sendStatus(401);
 */
export function verifySignature(
  secrets: string | readonly string[],
  rawBody: Buffer,
  signature: string | undefined,
): boolean {
  if (typeof signature !== 'string') return false;
  const given = signature.trim().toLowerCase();
  if (given.length !== SHA1_HEX_LENGTH || !/^[0-9a-f]+$/.test(given)) return false;
  const givenBytes = Buffer.from(given, 'hex');
  let ok = false;
  // Every secret is tried (no early exit), so timing does not tell which one matched.
  for (const secret of typeof secrets === 'string' ? [secrets] : secrets) {
    const expected = createHmac('sha1', secret).update(rawBody).digest();
    if (timingSafeEqual(expected, givenBytes)) ok = true;
  }
  return ok;
}
