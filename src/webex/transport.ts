/**
 * How events reach the bot, once the framework has started:
 * - `webhook`: Webex POSTs them to the bot's public URL (the HTTP server's route takes them);
 *   the webhooks were registered at start-up and the watchdog keeps them active.
 * - `websocket`: the bot registers a device and keeps Webex's event socket open
 *   (`socket/event-socket.ts`); no public URL is needed. Each event is turned into a webhook
 *   envelope and handed to `onEvent` — the same pipeline webhook events go through.
 * Either way the bot's webhooks are left as they are (a bot may switch between the modes).
 */
import type { Logger } from '../logging.js';
import type { WebhookEnvelope } from '../protocol/envelope.js';
import type { WebhookRecord } from './ensure-webhooks.js';
import type { StartedFramework } from './framework-start.js';
import { openEventSocket, socketLogger, type SocketBackoff, type SocketState } from './socket/event-socket.js';
import { startWebhookWatchdog, type WatchdogOptions } from './webhook-watchdog.js';

export type { SocketBackoff, SocketState } from './socket/event-socket.js';

/** Webhook mode. */
export interface WebhookTransportOptions {
  readonly kind: 'webhook';
  /** The public URL Webex POSTs events to. */
  readonly webhookUrl: string;
  readonly webhookSecret: string;
  /** When the last webhook delivery arrived, for the watchdog (default: never). */
  readonly lastDeliveryAt?: () => number;
  readonly watchdog?: WatchdogOptions;
  /** With several instances: whether this one holds the reconciler lock (only the holder's watchdog acts). */
  readonly isHolder?: () => boolean;
}

/** Websocket mode. */
export interface SocketTransportOptions {
  readonly kind: 'websocket';
  /** Takes each event from the socket (the bot's pipeline); events are handed over one at a time, in order. */
  readonly onEvent: (envelope: WebhookEnvelope) => Promise<void>;
  /** Told whenever the socket connects, drops or fails to open. */
  readonly onSocketState?: (state: SocketState) => void;
  /** Delays between reconnect attempts (defaults: 1 s doubling up to 32 s, as the SDK's). */
  readonly backoff?: SocketBackoff;
  /** Repeated socket warnings at most this often (default 1 minute). */
  readonly warnEveryMs?: number;
}

export type TransportOptions = WebhookTransportOptions | SocketTransportOptions;

/** A running transport. */
export interface Transport {
  readonly kind: TransportOptions['kind'];
  /** The webhooks registered at start-up (none in websocket mode). */
  readonly webhooks: readonly WebhookRecord[];
  /** Checks (and restores) the webhooks now; nothing to do in websocket mode. */
  checkWebhooks(): Promise<void>;
  /** Stops taking events: in websocket mode the socket closes; webhooks are refused by the HTTP route. */
  stopReceiving(): Promise<void>;
  /** Stops the watchdog (webhook mode). */
  close(): void;
}

/** SDK config for websocket mode: the socket client logs into the bot's log, with the bot's backoff. */
export function socketSdkConfig(options: TransportOptions, log: Logger): Record<string, unknown> | undefined {
  if (options.kind !== 'websocket') return undefined;
  const backoff = options.backoff
    ? { backoffTimeReset: options.backoff.initialMs, backoffTimeMax: options.backoff.maxMs }
    : {};
  return { defaultMercuryOptions: { logger: socketLogger(log) }, mercury: backoff };
}

/** Starts taking events the way `options` says; resolves once events can arrive. */
export async function startTransport(
  started: StartedFramework,
  options: TransportOptions,
  log: Logger,
): Promise<Transport> {
  if (options.kind === 'webhook') {
    const watchdog = startWebhookWatchdog(
      {
        api: started.registration!.api,
        specs: started.registration!.specs,
        lastDeliveryAt: options.lastDeliveryAt ?? (() => 0),
        log,
        ...(options.isHolder ? { isHolder: options.isHolder } : {}),
      },
      options.watchdog,
    );
    return {
      kind: 'webhook',
      webhooks: started.webhooks,
      checkWebhooks: () => watchdog.check(),
      stopReceiving: async () => undefined,
      close: () => watchdog.stop(),
    };
  }
  const { framework } = started;
  const socket = await openEventSocket({
    sdk: framework.webex,
    // The framework processes only events that carry the name of its own event source.
    sourceName: (framework.webhook ? framework.webhook.name : undefined) ?? 'webex sdk socket event',
    log,
    onEnvelope: options.onEvent,
    ...(options.onSocketState ? { onState: options.onSocketState } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.warnEveryMs !== undefined ? { warnEveryMs: options.warnEveryMs } : {}),
  });
  return {
    kind: 'websocket',
    webhooks: [],
    checkWebhooks: async () => undefined,
    stopReceiving: () => socket.stopReceiving(),
    close: () => undefined,
  };
}
