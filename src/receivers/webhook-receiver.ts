/**
 * The webhook receiver: Webex POSTs each event to the bot's public URL. In this order, before
 * anything else touches the request:
 * 1. body size: over the limit → 413 (Webex events are well under 1 KB);
 * 2. signature: `X-Spark-Signature` checked over the raw bytes, constant-time, against the
 *    current secret and, during a rotation, the previous one → 401;
 * 3. JSON → 400 when it is not;
 * 4. shape: anything but a well-formed event of a handled kind is acknowledged (200, so Webex
 *    does not retry it) and logged as ignored;
 * 5. hand-over to the {@link Intake}: the event is claimed (a redelivery is answered 200 as a
 *    duplicate) and answered 200 before it is processed — or 503 while the bot cannot take
 *    events (stopping, token rejected), so that Webex delivers it again later.
 *
 * A signed self-test (`self-test.ts`) is answered between steps 3 and 4, with who the bot is,
 * and goes no further. A client that hangs up before its body is in is logged at debug, at
 * most one line per interval (anyone can open and drop connections: it must not flood the log).
 *
 * Served on Node's `http` directly, ahead of express (`src/server/app.ts`): every event and
 * every echo of the bot's own replies comes through here, and express's router and body parser
 * were a measurable part of the cost of each (see `bench/`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Intake, IntakeResult } from '../events/intake.js';
import type { Logger } from '../logging.js';
import { type BotMetrics, NO_METRICS } from '../metrics/types.js';
import { envelopeProblem, isHandledResource, type WebhookEnvelope } from '../protocol/envelope.js';
import { SIGNATURE_HEADER, verifySignature } from '../protocol/signature.js';
import { Throttle } from '../util/throttle.js';
import type { Receiver } from './receiver.js';
import { isSelfTest, type SelfTestAnswer } from './self-test.js';

/** Largest webhook body accepted. */
export const WEBHOOK_BODY_LIMIT_BYTES = 16 * 1024;

/** Seconds Webex is asked to wait before delivering a refused event again. */
const RETRY_AFTER_SECONDS = 5;

/** Options of {@link createWebhookReceiver}. */
export interface WebhookReceiverOptions {
  /** The path of `WEBHOOK_URL` the route serves, e.g. `/webhook`. */
  readonly path: string;
  /** Secrets a signature may be made with: the current one first, then a previous one during a rotation. */
  readonly secrets: readonly string[];
  readonly log: Logger;
  readonly bodyLimitBytes?: number;
  /** What the bot answers to a verified self-test (who it is, whether it is ready). */
  readonly selfTest?: () => Pick<SelfTestAnswer, 'bot' | 'ready'>;
  readonly metrics?: BotMetrics;
}

/** The webhook receiver: a {@link Receiver} whose events arrive as HTTP requests on `path`. */
export interface WebhookReceiver extends Receiver {
  readonly kind: 'webhook';
  readonly path: string;
  /** Serves one `POST <path>` request; `requestId` is its `X-Request-Id`. */
  handle(req: IncomingMessage, res: ServerResponse, requestId: string): void;
}

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

/** A body as read: the bytes, too large (the rest is not read), or the client went away before the end. */
type Body = Buffer | 'too-large' | 'aborted';

/** Reads the whole body, up to `limit` bytes. Never rejects. */
function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.resolve('too-large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', () => resolve('aborted'));
    req.on('aborted', () => resolve('aborted'));
  });
}

/** The resource as a metrics label: a handled resource, else `other` (label values stay few). */
function resourceLabel(resource: unknown): string {
  return isHandledResource(resource) ? resource : 'other';
}

/** The webhook receiver's route: the steps of the file's comment, one method each. */
class WebhookRoute implements WebhookReceiver {
  readonly kind = 'webhook';
  readonly path: string;
  private readonly limit: number;
  private readonly metrics: BotMetrics;
  // Refusals come in floods (a burst, an outage): one warning per interval, with the count.
  private readonly refusals = new Throttle(10_000);
  private readonly hangUps = new Throttle(60_000);
  private intake: Intake | undefined;
  private stopped = false;

  constructor(private readonly options: WebhookReceiverOptions) {
    this.path = options.path;
    this.limit = options.bodyLimitBytes ?? WEBHOOK_BODY_LIMIT_BYTES;
    this.metrics = options.metrics ?? NO_METRICS;
  }

  handle(req: IncomingMessage, res: ServerResponse, requestId: string): void {
    this.serve(req, res, requestId).catch((err: unknown) => {
      this.options.log.error('request failed', { requestId, path: req.url, err });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal_error', message: 'internal error', requestId });
    });
  }

  async start(to: Intake): Promise<void> {
    this.intake = to;
    this.stopped = false;
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  private async serve(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const log = this.options.log.child({ requestId });
    const body = await this.verified(req, res, log, requestId);
    if (body === undefined) return;
    const { raw, parsed } = body;
    if (isSelfTest(parsed) && this.options.selfTest) {
      this.answerSelfTest(req, res, parsed.data.id, log, requestId);
      return;
    }
    const problem = envelopeProblem(parsed);
    if (problem !== undefined) {
      log.info('webhook ignored', { reason: problem });
      this.metrics.webhookReceived(resourceLabel((parsed as { resource?: unknown } | null)?.resource), 'ignored');
      sendJson(res, 200, { status: 'ignored', reason: problem });
      return;
    }
    const envelope = parsed as WebhookEnvelope;
    const result: IntakeResult =
      this.stopped || !this.intake
        ? { status: 'unavailable', reason: this.stopped ? 'the bot is shutting down' : 'the bot is starting' }
        : await this.intake.accept(envelope, { requestId, body: raw });
    this.answer(res, envelope, result, log);
  }

  /** Steps 1 to 3: the verified body, raw and parsed, or `undefined` once the request has been answered. */
  private async verified(
    req: IncomingMessage,
    res: ServerResponse,
    log: Logger,
    requestId: string,
  ): Promise<{ raw: Buffer; parsed: unknown } | undefined> {
    const body = await readBody(req, this.limit);
    if (body === 'aborted') {
      const held = this.hangUps.take();
      if (held !== undefined) log.debug('request abandoned: the client hung up before its body was in', { held });
      return undefined;
    }
    if (body === 'too-large') {
      log.warn('request refused: body too large', { path: req.url });
      this.metrics.webhookReceived('unknown', 'refused', 'size');
      res.shouldKeepAlive = false;
      sendJson(res, 413, {
        error: 'payload_too_large',
        message: 'the body is larger than a Webex event can be',
        requestId,
      });
      return undefined;
    }
    if (!this.signed(req, res, body, log)) return undefined;
    try {
      return { raw: body, parsed: JSON.parse(body.toString('utf8')) as unknown };
    } catch {
      log.warn('webhook refused: body is not JSON', { bytes: body.length });
      this.metrics.webhookReceived('unknown', 'refused', 'json');
      sendJson(res, 400, { error: 'invalid_json', message: 'the body is not valid JSON' });
      return undefined;
    }
  }

  /** Step 2: true when the body is signed with a secret; otherwise answers 401. */
  private signed(req: IncomingMessage, res: ServerResponse, body: Buffer, log: Logger): boolean {
    const given = req.headers[SIGNATURE_HEADER.toLowerCase()];
    const signature = Array.isArray(given) ? given[0] : given;
    if (verifySignature(this.options.secrets, body, signature)) return true;
    const reason =
      signature === undefined ? 'missing X-Spark-Signature header' : 'X-Spark-Signature does not match the body';
    log.warn('webhook refused: bad signature', { reason, bytes: body.length, remote: req.socket.remoteAddress });
    this.metrics.webhookReceived('unknown', 'refused', 'signature');
    sendJson(res, 401, {
      error: 'invalid_signature',
      reason: signature === undefined ? 'missing' : 'mismatch',
      message: `${reason} (HMAC-SHA1 of the raw body with the webhook secret)`,
    });
    return false;
  }

  /** A verified self-test: who the bot is, and nothing else done. */
  private answerSelfTest(req: IncomingMessage, res: ServerResponse, nonce: string, log: Logger, requestId: string) {
    const self: SelfTestAnswer = { status: 'self-test', nonce, ...this.options.selfTest!(), requestId };
    log.info('self-test answered (nothing else done)', { remote: req.socket.remoteAddress });
    this.metrics.webhookReceived('other', 'self_test');
    sendJson(res, 200, self);
  }

  /** Step 5: answers Webex with what the intake made of the event. */
  private answer(res: ServerResponse, envelope: WebhookEnvelope, result: IntakeResult, log: Logger): void {
    this.metrics.webhookReceived(resourceLabel(envelope.resource), result.status);
    if (result.status === 'unavailable') {
      const held = this.refusals.take();
      if (held !== undefined)
        log.warn('webhook refused for now: the bot cannot take events', {
          reason: result.reason,
          resource: envelope.resource,
          refusedSinceLastLine: held,
        });
      else log.debug('webhook refused for now', { reason: result.reason });
      sendJson(
        res,
        503,
        { error: 'unavailable', message: result.reason },
        { 'retry-after': String(RETRY_AFTER_SECONDS) },
      );
      return;
    }
    log.debug(result.status === 'duplicate' ? 'webhook of an event already taken' : 'webhook accepted', {
      eventId: result.eventId,
      resource: envelope.resource,
      event: envelope.event,
    });
    sendJson(res, 200, result);
  }
}

/** Creates the webhook receiver (the HTTP server mounts its `handle` on `path`). */
export function createWebhookReceiver(options: WebhookReceiverOptions): WebhookReceiver {
  return new WebhookRoute(options);
}
