/**
 * The webhook endpoint. In this order, before anything else touches the request:
 * 1. body size: over the limit → 413 (Webex events are well under 1 KB);
 * 2. signature: `X-Spark-Signature` checked over the raw bytes, constant-time → 401;
 * 3. JSON → 400 when it is not;
 * 4. shape: a well-formed event of a handled kind is accepted (200, processed after answering);
 *    anything else is acknowledged (200, so Webex does not retry it) and logged as ignored.
 */
import express, { type RequestHandler } from 'express';
import type { Logger } from '../logging.js';
import type { WebhookEnvelope } from '../protocol/envelope.js';
import { SIGNATURE_HEADER, verifySignature } from '../protocol/signature.js';
import { envelopeProblem } from '../webex/envelope.js';

/** Largest webhook body accepted. */
export const WEBHOOK_BODY_LIMIT_BYTES = 16 * 1024;

/** Options for {@link webhookRoute}. */
export interface WebhookRouteOptions {
  readonly secret: string;
  /** Hands a verified, well-formed event over for processing; returns its correlation id. */
  readonly accept: (envelope: WebhookEnvelope) => { eventId: string };
  readonly log: Logger;
  readonly bodyLimitBytes?: number;
}

/** The express handlers for `POST <webhook path>`. */
export function webhookRoute(options: WebhookRouteOptions): RequestHandler[] {
  const raw = express.raw({ type: () => true, limit: options.bodyLimitBytes ?? WEBHOOK_BODY_LIMIT_BYTES });
  const handle: RequestHandler = (req, res) => {
    const log = options.log.child({ requestId: res.locals['requestId'] as string });
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifySignature(options.secret, body, req.get(SIGNATURE_HEADER))) {
      const reason = req.get(SIGNATURE_HEADER) === undefined ? 'missing X-Spark-Signature header' : 'X-Spark-Signature does not match the body';
      log.warn('webhook refused: bad signature', { reason, bytes: body.length, remote: req.socket.remoteAddress });
      res.status(401).json({ error: 'invalid_signature', message: `${reason} (HMAC-SHA1 of the raw body with the webhook secret)` });
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      log.warn('webhook refused: body is not JSON', { bytes: body.length });
      res.status(400).json({ error: 'invalid_json', message: 'the body is not valid JSON' });
      return;
    }
    const problem = envelopeProblem(parsed);
    if (problem !== undefined) {
      log.info('webhook ignored', { reason: problem });
      res.status(200).json({ status: 'ignored', reason: problem });
      return;
    }
    const { eventId } = options.accept(parsed as WebhookEnvelope);
    res.status(200).json({ status: 'accepted', eventId });
  };
  return [raw, handle];
}
