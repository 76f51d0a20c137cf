/**
 * The webhook endpoint. In this order, before anything else touches the request:
 * 1. body size: over the limit → 413 (Webex events are well under 1 KB);
 * 2. signature: `X-Spark-Signature` checked over the raw bytes, constant-time, against the
 *    current secret and, during a rotation, the previous one → 401;
 * 3. JSON → 400 when it is not;
 * 4. shape: anything but a well-formed event of a handled kind is acknowledged (200, so Webex
 *    does not retry it) and logged as ignored;
 * 5. hand-over: the event is claimed (a redelivery is answered 200 as a duplicate) and answered
 *    200 before it is processed — or 503 while the bot cannot take events (draining, token
 *    rejected), so that Webex delivers it again later.
 *
 * A signed self-test (`src/server/self-test.ts`) is answered between steps 3 and 4, with who
 * the bot is, and goes no further.
 */
import express, { type RequestHandler } from 'express';
import type { Logger } from '../logging.js';
import { NO_METRICS, type BotMetrics } from '../metrics/types.js';
import type { WebhookEnvelope } from '../protocol/envelope.js';
import { SIGNATURE_HEADER, verifySignature } from '../protocol/signature.js';
import { envelopeProblem, HANDLED_EVENTS } from '../webex/envelope.js';
import { isSelfTest, type SelfTestAnswer } from './self-test.js';

/** Largest webhook body accepted. */
export const WEBHOOK_BODY_LIMIT_BYTES = 16 * 1024;

/** What became of an event handed over. */
export type AcceptVerdict =
  | { readonly status: 'accepted' | 'duplicate'; readonly eventId: string }
  /** Not taken now; Webex should deliver it again later. */
  | { readonly status: 'unavailable'; readonly reason: string };

/** Options for {@link webhookRoute}. */
export interface WebhookRouteOptions {
  /** Secrets a signature may be made with: the current one first, then a previous one during a rotation. */
  readonly secrets: readonly string[];
  /** Hands a verified, well-formed event over; resolves once it is claimed (or refused). */
  readonly accept: (envelope: WebhookEnvelope, requestId: string) => Promise<AcceptVerdict>;
  readonly log: Logger;
  readonly bodyLimitBytes?: number;
  /** What the bot answers to a verified self-test (who it is, whether it is ready). */
  readonly selfTest?: () => Pick<SelfTestAnswer, 'bot' | 'ready'>;
  readonly metrics?: BotMetrics;
}

/** The resource as a metrics label: a handled resource, else `other` (label values stay few). */
function resourceLabel(resource: unknown): string {
  return typeof resource === 'string' && resource in HANDLED_EVENTS ? resource : 'other';
}

/** Seconds Webex is asked to wait before delivering a refused event again. */
const RETRY_AFTER_SECONDS = 5;

/** The express handlers for `POST <webhook path>`. */
export function webhookRoute(options: WebhookRouteOptions): RequestHandler[] {
  const raw = express.raw({ type: () => true, limit: options.bodyLimitBytes ?? WEBHOOK_BODY_LIMIT_BYTES });
  const metrics = options.metrics ?? NO_METRICS;
  const handle: RequestHandler = async (req, res) => {
    const requestId = res.locals['requestId'] as string;
    const log = options.log.child({ requestId });
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.get(SIGNATURE_HEADER);
    if (!verifySignature(options.secrets, body, signature)) {
      const reason = signature === undefined ? 'missing X-Spark-Signature header' : 'X-Spark-Signature does not match the body';
      log.warn('webhook refused: bad signature', { reason, bytes: body.length, remote: req.socket.remoteAddress });
      metrics.webhookReceived('unknown', 'refused', 'signature');
      res.status(401).json({ error: 'invalid_signature', reason: signature === undefined ? 'missing' : 'mismatch', message: `${reason} (HMAC-SHA1 of the raw body with the webhook secret)` });
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      log.warn('webhook refused: body is not JSON', { bytes: body.length });
      metrics.webhookReceived('unknown', 'refused', 'json');
      res.status(400).json({ error: 'invalid_json', message: 'the body is not valid JSON' });
      return;
    }
    if (isSelfTest(parsed) && options.selfTest) {
      const answer: SelfTestAnswer = { status: 'self-test', nonce: parsed.data.id, ...options.selfTest(), requestId };
      log.info('self-test answered (nothing else done)', { remote: req.socket.remoteAddress });
      metrics.webhookReceived('other', 'self_test');
      res.status(200).json(answer);
      return;
    }
    const problem = envelopeProblem(parsed);
    if (problem !== undefined) {
      log.info('webhook ignored', { reason: problem });
      metrics.webhookReceived(resourceLabel((parsed as { resource?: unknown } | null)?.resource), 'ignored');
      res.status(200).json({ status: 'ignored', reason: problem });
      return;
    }
    const envelope = parsed as WebhookEnvelope;
    const verdict = await options.accept(envelope, requestId);
    metrics.webhookReceived(resourceLabel(envelope.resource), verdict.status);
    if (verdict.status === 'unavailable') {
      log.warn('webhook refused for now: the bot cannot take events', { reason: verdict.reason, resource: envelope.resource });
      res.status(503).set('Retry-After', String(RETRY_AFTER_SECONDS)).json({ error: 'unavailable', message: verdict.reason });
      return;
    }
    log.debug(verdict.status === 'duplicate' ? 'webhook of an event already taken' : 'webhook accepted', { eventId: verdict.eventId, resource: envelope.resource, event: envelope.event });
    res.status(200).json(verdict);
  };
  return [raw, handle];
}
