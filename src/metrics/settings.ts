/**
 * The metrics settings of a bot (`METRICS`, `METRICS_PORT`, `METRICS_HOST`), apart from the
 * metrics library so that the configuration can name their defaults without loading it.
 */

/** Where a metrics server of their own listens unless `METRICS_HOST` says otherwise: this machine only. */
export const DEFAULT_METRICS_HOST = '127.0.0.1';

/**
 * The metrics settings of a bot: unset is off; `port` serves them apart from the webhook, on
 * `host` ({@link DEFAULT_METRICS_HOST} unless given). Without `port` they are served on the bot's
 * own server, so on its host.
 *
 * @example
 * const settings: MetricsSettings = { port: 9464 }; // http://127.0.0.1:9464/metrics
 */
export interface MetricsSettings {
  readonly port?: number;
  readonly host?: string;
}
