/**
 * `POST /notify`: other systems (CI pipelines, monitors, cron scripts) post a message through the
 * bot. Off unless `NOTIFY_TOKEN` is set (then a 404 says how to turn it on).
 *
 * 1. `Authorization: Bearer <NOTIFY_TOKEN>`, compared in constant time, before the body is read:
 *    401 without it or with another token, and nothing is sent;
 * 2. the body: JSON (400 with the parser's reason), Webex's field names (400 listing each problem,
 *    `request.ts`); an unknown card id is a 400 naming the cards there are;
 * 3. with `Idempotency-Key`, a retry of the same request sends nothing and gets the first answer;
 * 4. sent through the outbox: 200 `{ id, roomId }`. Webex's own refusals keep their meaning: a
 *    space the bot is not in is a 404 with Webex's reason, a refused message a 400 with it; the
 *    space over its reply rate a 429; Webex failing a 502.
 */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { isBotError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { KeyValueStore } from '../store/types.js';
import { bearerMatches } from './auth.js';
import { answerOnce, checkIdempotencyKey, type NotifyAnswer, UnkeptAnswer } from './idempotency.js';
import { readNotifyRequest, type NotifyRequest } from './request.js';
import { NotifyBadRequest, type NotifySender } from './sender.js';
import { webexReason } from '../calls/failure.js';

/** The path of the endpoint. */
export const NOTIFY_PATH = '/notify';
/** Largest body taken. */
const MAX_BODY = '64kb';

/** What the endpoint needs. */
export interface NotifyOptions {
  /** `NOTIFY_TOKEN`. */
  readonly token: string;
  /** The sender once the bot is connected to Webex; `undefined` while it starts (then 503). */
  readonly sender: () => NotifySender | undefined;
  /** Where `Idempotency-Key` answers are kept (the shared state store). */
  readonly store: KeyValueStore;
}

const answer = (status: number, error: string, message: string, retryAfter?: number): NotifyAnswer => ({
  status,
  body: { error, message },
  ...(retryAfter === undefined ? {} : { retryAfter }),
});

/** The answer to a failed send: kept for retries when something may have been posted or never will be. */
function failureAnswer(err: unknown): NotifyAnswer {
  if (err instanceof NotifyBadRequest) return answer(400, 'bad_request', err.message);
  if (isBotError(err, 'REPLY_REFUSED'))
    return answer(400, 'refused_by_webex', `Webex refused the message: ${err.reason}`);
  if (isBotError(err, 'REPLY_UNCERTAIN'))
    return answer(
      502,
      'uncertain',
      'Webex failed while the message was posted; it may have been posted, and was not sent again',
    );
  const status = (err as { statusCode?: unknown }).statusCode;
  if (status === 404) return answer(404, 'not_found', `Webex: ${webexReason(err)}`);
  if (status === 403) return answer(403, 'forbidden', `Webex: ${webexReason(err)}`);
  if (isBotError(err, 'REPLY_SUPPRESSED'))
    throw new UnkeptAnswer(
      answer(429, 'rate_limited', "the space is over the bot's reply rate (REPLY_RATE_LIMIT): try again later", 60),
    );
  throw new UnkeptAnswer(answer(502, 'webex_failed', `Webex failed: ${(err as Error).message}`, 5));
}

function respond(res: Response, a: NotifyAnswer, replayed = false): void {
  if (a.retryAfter !== undefined) res.setHeader('Retry-After', String(a.retryAfter));
  if (replayed) res.setHeader('Idempotent-Replayed', 'true');
  res.status(a.status).json({ ...a.body, ...(a.status >= 400 ? { requestId: res.locals['requestId'] } : {}) });
}

/** Step 2: the checked request, or `undefined` once a 400 is sent. */
function requestOf(req: Request, res: Response): NotifyRequest | undefined {
  const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (err) {
    respond(
      res,
      answer(
        400,
        'bad_json',
        `the body is not JSON (${(err as Error).message}); send e.g. {"toPersonEmail": "alice@example.com", "text": "Build green"}`,
      ),
    );
    return undefined;
  }
  const read = readNotifyRequest(body);
  if ('problems' in read) {
    res.status(400).json({
      error: 'bad_request',
      message: read.problems.join('; '),
      problems: read.problems,
      requestId: res.locals['requestId'],
    });
    return undefined;
  }
  return read.request;
}

/** The handler of `POST /notify` (see the file's comment). */
function notifyHandler(options: NotifyOptions, log: Logger): RequestHandler {
  return async (req, res) => {
    const requestId = res.locals['requestId'] as string;
    const request = requestOf(req, res);
    if (!request) return;
    const sender = options.sender();
    if (!sender) return respond(res, answer(503, 'starting', 'the bot is starting: try again in a few seconds', 5));
    const key = req.get('idempotency-key');
    const problem = key === undefined ? undefined : checkIdempotencyKey(key);
    if (problem) return respond(res, answer(400, 'bad_request', problem));
    const reqLog = log.child({ requestId });
    const send = async (): Promise<NotifyAnswer> => {
      try {
        const sent = await sender.send(request, reqLog);
        reqLog.info('notify sent', { messageId: sent.id, to: request.roomId ? 'room' : 'person', card: request.card });
        return { status: 200, body: { id: sent.id, ...(sent.roomId ? { roomId: sent.roomId } : {}) } };
      } catch (err) {
        reqLog.warn('notify not sent', { err });
        return failureAnswer(err);
      }
    };
    try {
      if (key === undefined) return respond(res, await send());
      const { replayed, ...kept } = await answerOnce(options.store, key, request, send);
      respond(res, kept, replayed);
    } catch (err) {
      if (err instanceof UnkeptAnswer) return respond(res, err.answer);
      reqLog.error('notify failed', { err });
      respond(res, answer(500, 'internal_error', 'internal error'));
    }
  };
}

/**
 * The notify routes: `POST /notify` as described above when `options` are given, else a 404 that
 * says how to turn it on.
 * @example app.use(notifyRouter({ token, sender: () => sender, store }, log));
 */
export function notifyRouter(options: NotifyOptions | undefined, log: Logger): Router {
  const router = express.Router();
  if (!options) {
    router.post(NOTIFY_PATH, (_req, res) => {
      res.status(404).json({ error: 'not_found', message: 'POST /notify is off: set NOTIFY_TOKEN to turn it on' });
    });
    return router;
  }
  router.post(
    NOTIFY_PATH,
    (req, res, next) => {
      if (bearerMatches(req.get('authorization'), options.token)) return next();
      res.setHeader('WWW-Authenticate', 'Bearer realm="notify"');
      const message = req.get('authorization')
        ? 'the bearer token is not the NOTIFY_TOKEN'
        : 'send Authorization: Bearer <NOTIFY_TOKEN>';
      log.warn('notify refused: no or wrong token', { requestId: res.locals['requestId'] });
      res.status(401).json({ error: 'unauthorized', message, requestId: res.locals['requestId'] });
    },
    express.raw({ type: () => true, limit: MAX_BODY }),
    notifyHandler(options, log),
  );
  return router;
}
