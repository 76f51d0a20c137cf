/**
 * The bot's two transports as settings, and the wiring of websocket mode into the bot: socket
 * events go to the same `accept` as webhook events (draining and token checks, then the
 * pipeline's claim), and the socket's state is the readiness condition `socket`.
 */
import type { Logger } from './logging.js';
import type { WebhookEnvelope } from './protocol/envelope.js';
import type { Readiness } from './readiness.js';
import type { AcceptVerdict } from './server/webhook-route.js';
import type { SocketBackoff, TransportOptions } from './webex/connection.js';

/** Webhook mode (the default): Webex POSTs events to a public URL. */
export interface WebhookModeSettings {
  readonly transport?: 'webhook';
  /** The public webhook URL, or a function of the port actually bound (for PORT=0 set-ups). */
  readonly webhookUrl: string | ((port: number) => string);
  readonly webhookSecret: string;
  /** A previous secret still accepted on inbound signatures during a rotation (never registered). */
  readonly webhookSecretPrevious?: string | undefined;
}

/** Websocket mode: the bot keeps Webex's event socket open; no public URL. */
export interface WebsocketModeSettings {
  readonly transport: 'websocket';
  /** Delays between reconnect attempts (default 1 s doubling up to 32 s). */
  readonly socketBackoff?: SocketBackoff;
  /** Repeated socket warnings at most this often (default 1 minute). */
  readonly socketWarnEveryMs?: number;
}

/** How events reach the bot. */
export type BotTransportSettings = WebhookModeSettings | WebsocketModeSettings;

/** Readiness condition of the event socket. */
export const SOCKET_CONDITION = 'socket';

/** The connection's transport options for websocket mode. */
export function socketTransport(
  settings: WebsocketModeSettings,
  deps: {
    readonly accept: (envelope: WebhookEnvelope) => Promise<AcceptVerdict>;
    readonly readiness: Readiness;
    readonly log: Logger;
  },
): TransportOptions {
  const { readiness, log } = deps;
  return {
    kind: 'websocket',
    onEvent: async (envelope) => {
      const verdict = await deps.accept(envelope);
      // No redelivery on the socket: an event not taken now is gone, so it is logged.
      if (verdict.status === 'unavailable')
        log.warn('event from the socket not handled', {
          reason: verdict.reason,
          resource: envelope.resource,
          event: envelope.event,
        });
    },
    onSocketState: (state) =>
      state.kind === 'connected'
        ? readiness.pass(SOCKET_CONDITION)
        : readiness.fail(SOCKET_CONDITION, `${state.kind}: ${state.reason}`),
    ...(settings.socketBackoff ? { backoff: settings.socketBackoff } : {}),
    ...(settings.socketWarnEveryMs !== undefined ? { warnEveryMs: settings.socketWarnEveryMs } : {}),
  };
}
