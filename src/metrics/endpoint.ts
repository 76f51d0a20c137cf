/**
 * Serving `GET /metrics`: on the bot's own HTTP server (`METRICS=true`), or on a server of its
 * own (`METRICS_PORT`), so that the metrics need not be reachable where the webhook is.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../logging.js';
import { listen } from '../util/listen.js';
import type { PrometheusMetrics } from './prometheus.js';

/** The path metrics are served on. */
export const METRICS_PATH = '/metrics';

/** Answers one scrape: the metrics in the Prometheus text format, or 500 when they cannot be collected. */
export async function serveMetrics(metrics: PrometheusMetrics, res: ServerResponse, log: Logger): Promise<void> {
  try {
    const text = await metrics.render();
    res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
    res.end(text);
  } catch (err) {
    log.error('metrics could not be collected', { err });
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('metrics could not be collected\n');
  }
}

/** A metrics server of its own. */
export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Starts a server answering `GET /metrics` (and 404 to anything else) on `host:port`. */
export async function startMetricsServer(
  metrics: PrometheusMetrics,
  port: number,
  host: string,
  log: Logger,
): Promise<MetricsServer> {
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if ((req.method === 'GET' || req.method === 'HEAD') && path === METRICS_PATH) {
      void serveMetrics(metrics, res, log);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(`only GET ${METRICS_PATH} is served here\n`);
  });
  const bound = await listen(server, port, host);
  return {
    port: bound,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
