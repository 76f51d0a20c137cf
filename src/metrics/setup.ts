/**
 * The metrics of one bot, as its settings ask: off (nothing measured, nothing served), served
 * on the bot's own port, or on a port of their own.
 */
import type { Logger } from '../logging.js';
import { METRICS_PATH, startMetricsServer, type MetricsServer } from './endpoint.js';
import { createPrometheusMetrics, type PrometheusMetrics } from './prometheus.js';
import { NO_METRICS, type BotMetrics } from './types.js';

/** The metrics settings of a bot: unset is off; `port` serves them apart from the webhook. */
export interface MetricsSettings {
  readonly port?: number;
}

/** Metrics as one bot uses them. */
export interface BotMetricsSetup {
  /** Where the bot reports (a no-op when off). */
  readonly metrics: BotMetrics;
  /** The metrics to serve on the bot's own HTTP server, when they go there. */
  readonly onBotServer: PrometheusMetrics | undefined;
  /** Starts the metrics server of their own, if any; resolves with the URL they are served at (undefined when off). */
  start(host: string, botPort: number, log: Logger): Promise<string | undefined>;
  close(): Promise<void>;
}

/** Sets metrics up as `settings` say. */
export function setUpMetrics(settings: MetricsSettings | undefined): BotMetricsSetup {
  if (!settings)
    return { metrics: NO_METRICS, onBotServer: undefined, start: async () => undefined, close: async () => undefined };
  const prometheus = createPrometheusMetrics();
  let server: MetricsServer | undefined;
  return {
    metrics: prometheus,
    onBotServer: settings.port === undefined ? prometheus : undefined,
    async start(host, botPort, log) {
      if (settings.port !== undefined) server = await startMetricsServer(prometheus, settings.port, host, log);
      const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
      const url = `http://${shownHost}:${server?.port ?? botPort}${METRICS_PATH}`;
      log.info('metrics served', { url });
      return url;
    },
    close: async () => server?.close(),
  };
}
