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
 *
 * Served on Node's `http` directly, ahead of express (`app.ts`): every event and every echo of
 * the bot's own replies comes through here, and express's router and body parser were a
 * measurable part of the cost of each (see `bench/`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logging.js';
import { NO_METRICS, type BotMetrics } from '../metrics/types.js';
import type { WebhookEnvelope } from '../protocol/envelope.js';
import { SIGNATURE_HEADER, verifySignature } from '../protocol/signature.js';
import { envelopeProblem, HANDLED_EVENTS } from '../webex/envelope.js';
import { Throttle } from '../util/throttle.js';
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

/** Answers `res` with `status` and a JSON body. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const json = JSON.stringify(body);
  res
    .writeHead(status, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(json),
    })
    .end(json);
}

/**
 * Reads the whole body, up to `limit` bytes; resolves `undefined` when it is larger (the rest is
 * not read: the connection is closed after the answer).
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The handler of `POST <webhook path>`, given the request's id (see `app.ts`). */
export function webhookHandler(
  options: WebhookRouteOptions,
): (req: IncomingMessage, res: ServerResponse, requestId: string) => void {
  const limit = options.bodyLimitBytes ?? WEBHOOK_BODY_LIMIT_BYTES;
  const metrics = options.metrics ?? NO_METRICS;
  // Refusals come in floods (a burst, an outage): one warning per interval, with the count.
  const refusals = new Throttle(10_000);
  const handle = async (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> => {
    const log = options.log.child({ requestId });
    const body = await readBody(req, limit);
    if (body === undefined) {
      log.warn('request refused: body too large', { path: req.url });
      metrics.webhookReceived('unknown', 'refused', 'size');
      res.shouldKeepAlive = false;
      sendJson(res, 413, {
        error: 'payload_too_large',
        message: 'the body is larger than a Webex event can be',
        requestId,
      });
      return;
    }
    const given = req.headers[SIGNATURE_HEADER.toLowerCase()];
    const signature = Array.isArray(given) ? given[0] : given;
    if (!verifySignature(options.secrets, body, signature)) {
      const reason =
        signature === undefined ? 'missing X-Spark-Signature header' : 'X-Spark-Signature does not match the body';
      log.warn('webhook refused: bad signature', { reason, bytes: body.length, remote: req.socket.remoteAddress });
      metrics.webhookReceived('unknown', 'refused', 'signature');
      sendJson(res, 401, {
        error: 'invalid_signature',
        reason: signature === undefined ? 'missing' : 'mismatch',
        message: `${reason} (HMAC-SHA1 of the raw body with the webhook secret)`,
      });
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      log.warn('webhook refused: body is not JSON', { bytes: body.length });
      metrics.webhookReceived('unknown', 'refused', 'json');
      sendJson(res, 400, { error: 'invalid_json', message: 'the body is not valid JSON' });
      return;
    }
    if (isSelfTest(parsed) && options.selfTest) {
      const answer: SelfTestAnswer = { status: 'self-test', nonce: parsed.data.id, ...options.selfTest(), requestId };
      log.info('self-test answered (nothing else done)', { remote: req.socket.remoteAddress });
      metrics.webhookReceived('other', 'self_test');
      sendJson(res, 200, answer);
      return;
    }
    const problem = envelopeProblem(parsed);
    if (problem !== undefined) {
      log.info('webhook ignored', { reason: problem });
      metrics.webhookReceived(resourceLabel((parsed as { resource?: unknown } | null)?.resource), 'ignored');
      sendJson(res, 200, { status: 'ignored', reason: problem });
      return;
    }
    const envelope = parsed as WebhookEnvelope;
    const verdict = await options.accept(envelope, requestId);
    metrics.webhookReceived(resourceLabel(envelope.resource), verdict.status);
    if (verdict.status === 'unavailable') {
      const held = refusals.take();
      if (held !== undefined)
        log.warn('webhook refused for now: the bot cannot take events', {
          reason: verdict.reason,
          resource: envelope.resource,
          refusedSinceLastLine: held,
        });
      else log.debug('webhook refused for now', { reason: verdict.reason });
      sendJson(
        res,
        503,
        { error: 'unavailable', message: verdict.reason },
        { 'retry-after': String(RETRY_AFTER_SECONDS) },
      );
      return;
    }
    log.debug(verdict.status === 'duplicate' ? 'webhook of an event already taken' : 'webhook accepted', {
      eventId: verdict.eventId,
      resource: envelope.resource,
      event: envelope.event,
    });
    sendJson(res, 200, verdict);
  };
  return (req, res, requestId) => {
    handle(req, res, requestId).catch((err: unknown) => {
      options.log.error('request failed', { requestId, path: req.url, err });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal_error', message: 'internal error', requestId });
    });
  };
}
