/**
 * The bot's HTTP server: the webhook receiver's route, liveness and readiness, and JSON errors for the rest.
 *
 * - `GET /healthz` — liveness: 200 while the process serves HTTP at all (restart it if not).
 * - `GET /readyz` — readiness: 200 when the bot takes events (started, webhooks registered, token
 *   accepted, not draining); 503 listing what is not met otherwise.
 * - `GET /metrics` — Prometheus metrics, only when they are served here (`METRICS=true` without
 *   `METRICS_PORT`).
 * - `POST /notify` — other systems send a message through the bot (`NOTIFY_TOKEN`; `src/notify/`).
 */
import type { RequestListener } from 'node:http';
import express, { type ErrorRequestHandler } from 'express';
import type { Logger } from '../logging.js';
import { METRICS_PATH, serveMetrics } from '../metrics/endpoint.js';
import type { PrometheusMetrics } from '../metrics/prometheus.js';
import type { Readiness } from '../readiness.js';
import { shortId } from '../util/short-id.js';
import type { WebhookReceiver } from '../receivers/webhook-receiver.js';
import { notifyRouter, type NotifyOptions } from '../notify/route.js';

/** Options for {@link createApp}. */
export interface AppOptions {
  /** The webhook receiver, served on its path; none in websocket mode. */
  readonly webhook?: WebhookReceiver | undefined;
  readonly log: Logger;
  readonly readiness: Readiness;
  /** Serve these metrics on `GET /metrics` of this app. */
  readonly serveMetrics?: PrometheusMetrics;
  /** `POST /notify`, when `NOTIFY_TOKEN` is set. */
  readonly notify?: NotifyOptions | undefined;
}

/** The path of a request target (`/webhook?x=1` → `/webhook`). */
function pathOf(url: string | undefined): string {
  const q = url?.indexOf('?') ?? -1;
  return q === -1 ? (url ?? '/') : url!.slice(0, q);
}

/**
 * Builds the request listener: `POST <webhook path>` is served by the webhook handler directly,
 * everything else by express. Every answer carries `X-Request-Id`.
 */
export function createApp(options: AppOptions): RequestListener {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.use((_req, res, next) => {
    res.locals['requestId'] = res.getHeader('x-request-id');
    next();
  });

  const exposed = options.serveMetrics;
  if (exposed) app.get(METRICS_PATH, (_req, res) => void serveMetrics(exposed, res, options.log));

  app.get('/healthz', (_req, res) => {
    res.status(200).json({ status: 'alive', uptimeSeconds: Math.round(process.uptime()) });
  });

  app.get('/readyz', (_req, res) => {
    const { readiness } = options;
    if (readiness.ready) res.status(200).json({ status: 'ready' });
    else res.status(503).json({ status: 'not-ready', unmet: readiness.unmet });
  });

  app.use(notifyRouter(options.notify, options.log));

  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', message: `no route for ${req.method} ${req.path}` });
  });

  const onError: ErrorRequestHandler = (
    err: { status?: number; statusCode?: number; type?: string; message?: string },
    req,
    res,
    _next,
  ) => {
    const status = err.status ?? err.statusCode ?? 500;
    const requestId = res.locals['requestId'] as string;
    if (status >= 400 && status < 500) {
      options.log.warn('bad request', { requestId, path: req.path, reason: err.type ?? err.message });
      res.status(status).json({ error: 'bad_request', message: err.message ?? 'bad request', requestId });
      return;
    }
    options.log.error('request failed', { requestId, path: req.path, err });
    res.status(500).json({ error: 'internal_error', message: 'internal error', requestId });
  };
  app.use(onError);

  const { webhook } = options;
  return (req, res) => {
    const requestId = shortId();
    res.setHeader('X-Request-Id', requestId);
    if (webhook && req.method === 'POST' && pathOf(req.url) === webhook.path) webhook.handle(req, res, requestId);
    else app(req, res);
  };
}
