/**
 * The metrics of one bot, as its settings ask: off (nothing measured, nothing served), served
 * on the bot's own port (so on its host), or on a port of their own, on loopback unless the
 * settings name another host.
 */
import type { Logger } from '../logging.js';
import { METRICS_PATH, startMetricsServer, type MetricsServer } from './endpoint.js';
import { createPrometheusMetrics, type PrometheusMetrics } from './prometheus.js';
import { DEFAULT_METRICS_HOST, type MetricsSettings } from './settings.js';
import { NO_METRICS, type BotMetrics } from './types.js';

export type { MetricsSettings } from './settings.js';

/** Metrics as one bot uses them. */
export interface BotMetricsSetup {
  /** Where the bot reports (a no-op when off). */
  readonly metrics: BotMetrics;
  /** The metrics to serve on the bot's own HTTP server, when they go there. */
  readonly onBotServer: PrometheusMetrics | undefined;
  /**
   * Starts the metrics server of their own, if any (on the settings' host, not on `botHost`);
   * resolves with the URL they are served at (undefined when off).
   */
  start(botHost: string, botPort: number, log: Logger): Promise<string | undefined>;
  close(): Promise<void>;
}

/**
 * Sets metrics up as `settings` say.
 *
 * @example
 * const measuring = setUpMetrics({ port: 9464 });
 * await measuring.start('0.0.0.0', 3000, log); // 'http://127.0.0.1:9464/metrics': loopback only
 */
export function setUpMetrics(settings: MetricsSettings | undefined): BotMetricsSetup {
  if (!settings)
    return { metrics: NO_METRICS, onBotServer: undefined, start: async () => undefined, close: async () => undefined };
  const prometheus = createPrometheusMetrics();
  let server: MetricsServer | undefined;
  return {
    metrics: prometheus,
    onBotServer: settings.port === undefined ? prometheus : undefined,
    async start(botHost, botPort, log) {
      const ownHost = settings.host ?? DEFAULT_METRICS_HOST;
      if (settings.port !== undefined) server = await startMetricsServer(prometheus, settings.port, ownHost, log);
      const host = server ? ownHost : botHost;
      const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
      const url = `http://${shownHost}:${server?.port ?? botPort}${METRICS_PATH}`;
      log.info('metrics served', { url });
      return url;
    },
    close: async () => server?.close(),
  };
}
