/**
 * The webhook watchdog: Webex marks a webhook `inactive` after repeated failed deliveries (the
 * bot was down, a proxy failed) and from then on sends nothing — the bot would be silent with
 * no error anywhere. Every few minutes, and sooner when no event has arrived for a while, the
 * watchdog ensures the bot's webhooks again: an inactive one is re-activated and a deleted one
 * re-created, each with a warning.
 */
import type { Logger } from '../../logging.js';
import { ensureWebhook, type WebhookApi, type WebhookSpec } from './ensure.js';

/** Timing of the watchdog. */
export interface WatchdogOptions {
  /** Checks at least this often (default 5 minutes). */
  readonly intervalMs?: number;
  /** With no delivery for this long, checks this often instead (default 1 minute). */
  readonly quietMs?: number;
}

/** What the watchdog needs. */
export interface WatchdogDeps {
  readonly api: WebhookApi;
  readonly specs: readonly WebhookSpec[];
  /** When the last webhook delivery arrived (epoch ms). */
  readonly lastDeliveryAt: () => number;
  readonly log: Logger;
  /** With several instances: whether this one holds the reconciler lock (only the holder checks). */
  readonly isHolder?: () => boolean;
}

/** A running watchdog. */
export interface WebhookWatchdog {
  /** Runs one check now; resolves when it is done (never rejects). */
  check(): Promise<void>;
  stop(): void;
}

/** Starts the watchdog; the first check happens after `quietMs`. */
export function startWebhookWatchdog(deps: WatchdogDeps, options: WatchdogOptions = {}): WebhookWatchdog {
  const intervalMs = options.intervalMs ?? 5 * 60_000;
  const quietMs = Math.min(options.quietMs ?? 60_000, intervalMs);
  let lastCheck = Date.now();
  let running: Promise<void> | undefined;

  const ensureAll = (): Promise<void> =>
    (running ??= (async () => {
      try {
        for (const spec of deps.specs) {
          const result = await ensureWebhook(deps.api, spec, deps.log);
          if (result.action === 'created') {
            deps.log.warn('webhook was missing and has been re-created', {
              resource: spec.resource,
              event: spec.event,
              webhookId: result.webhook.id,
            });
          } else if (result.action === 'updated') {
            deps.log.warn(
              result.previous?.status === 'inactive'
                ? 'webhook was inactive (Webex had given up delivering to it) and has been re-activated'
                : 'webhook had changed and has been restored',
              {
                resource: spec.resource,
                event: spec.event,
                webhookId: result.webhook.id,
                wasStatus: result.previous?.status,
              },
            );
          }
        }
      } catch (err) {
        deps.log.warn('could not check the webhooks (will try again)', { err });
      } finally {
        lastCheck = Date.now();
        running = undefined;
      }
    })());

  const check = (): Promise<void> => {
    // Outside the running check: a check that returned before its first await would leave `running` set for good.
    if (deps.isHolder && !deps.isHolder()) {
      deps.log.debug('webhook check left to the instance holding the reconciler lock');
      return Promise.resolve();
    }
    return ensureAll();
  };

  const timer = setInterval(() => {
    const now = Date.now();
    const quiet = now - Math.max(deps.lastDeliveryAt(), lastCheck) >= quietMs;
    if (now - lastCheck >= intervalMs || quiet) void check();
  }, quietMs);
  timer.unref();

  return {
    check,
    stop: () => clearInterval(timer),
  };
}
