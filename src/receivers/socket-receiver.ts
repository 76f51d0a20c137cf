/**
 * The socket receiver (websocket mode): the bot keeps Webex's event socket open (no public URL
 * needed). The seam (`src/webex/`) opens the socket and turns each activity into the webhook
 * envelope Webex would have POSTed; this hands each to the {@link Intake}, one at a time in
 * arrival order, and keeps the readiness condition `socket` up to date. Nothing can be delivered
 * again over the socket: an event the intake does not take is logged.
 */
import type { Intake } from '../events/intake.js';
import type { Logger } from '../logging.js';
import type { Readiness } from '../readiness.js';
import type { EventSocket, SocketSink } from '../webex/event-socket.js';
import type { Receiver } from './receiver.js';

/** Readiness condition of the event socket. */
export const SOCKET_CONDITION = 'socket';

/** Opens the event socket (the seam's `WebexSession.openEventSocket`); resolves once it is open. */
export type OpenEventSocket = (sink: SocketSink) => Promise<Pick<EventSocket, 'stopReceiving'>>;

/** Creates the socket receiver. */
export function createSocketReceiver(open: OpenEventSocket, deps: { readiness: Readiness; log: Logger }): Receiver {
  const { readiness, log } = deps;
  let socket: Pick<EventSocket, 'stopReceiving'> | undefined;
  return {
    kind: 'websocket',
    async start(intake: Intake) {
      socket = await open({
        onEnvelope: async (envelope) => {
          const result = await intake.accept(envelope);
          // No redelivery on the socket: an event not taken now is gone, so it is logged.
          if (result.status === 'unavailable')
            log.warn('event from the socket not handled', {
              reason: result.reason,
              resource: envelope.resource,
              event: envelope.event,
            });
        },
        onState: (state) =>
          state.kind === 'connected'
            ? readiness.pass(SOCKET_CONDITION)
            : readiness.fail(SOCKET_CONDITION, `${state.kind}: ${state.reason}`),
      });
    },
    async stop() {
      await socket?.stopReceiving();
    },
  };
}
