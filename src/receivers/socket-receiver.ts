/**
 * The socket receiver (websocket mode): the bot keeps Webex's event socket open (no public URL
 * needed). The seam (`src/webex/`) opens the socket and turns each activity into the webhook
 * envelope Webex would have POSTed; this hands each to the {@link Intake}, one at a time in
 * arrival order, and keeps the readiness condition `socket` up to date. Nothing is delivered again
 * over the socket: after a drop, the messages sent meanwhile are looked for
 * (`socket-catch-up.ts`) and go through the same claim; an event the intake does not take is
 * logged. The device the socket rides on is remembered, so a restart reuses it rather than
 * registering another (Webex refuses "excessive device registrations").
 */
import type { Intake } from '../events/intake.js';
import type { Logger } from '../logging.js';
import type { WebhookEnvelope } from '../protocol/envelope.js';
import type { Readiness } from '../readiness.js';
import type { EventSocket, SocketGap, SocketSink, WebexApi } from '../webex/index.js';
import type { Receiver } from './receiver.js';
import { catchUp } from './socket-catch-up.js';

/** Readiness condition of the event socket. */
export const SOCKET_CONDITION = 'socket';

/** Opens the event socket (the seam's `WebexSession.openEventSocket`); resolves once it is open. */
export type OpenEventSocket = (sink: SocketSink, deviceUrl: string | undefined) => Promise<EventSocket>;

/** Where the device's URL is kept between runs (the state store), when it is. */
export interface DeviceMemory {
  load(): Promise<string | undefined>;
  save(url: string): Promise<void>;
}

/** What {@link createSocketReceiver} needs besides the socket. */
export interface SocketReceiverDeps {
  readonly readiness: Readiness;
  readonly log: Logger;
  /** For the catch-up after a gap: the REST calls, and whose messages not to catch up. */
  readonly api: Pick<WebexApi, 'listRooms' | 'listMessages'>;
  readonly botId: string;
  readonly devices?: DeviceMemory | undefined;
}

/** Creates the socket receiver. */
export function createSocketReceiver(open: OpenEventSocket, deps: SocketReceiverDeps): Receiver {
  const { readiness, log } = deps;
  let socket: EventSocket | undefined;
  let intake: Intake | undefined;
  let catchingUp: Promise<unknown> = Promise.resolve();

  const onEnvelope = async (envelope: WebhookEnvelope): Promise<void> => {
    const result = await intake!.accept(envelope);
    // No redelivery on the socket: an event not taken now is gone, so it is logged.
    if (result.status === 'unavailable')
      log.warn('event from the socket not handled', {
        reason: result.reason,
        resource: envelope.resource,
        event: envelope.event,
      });
  };
  const onGap = (gap: SocketGap): void => {
    if (!socket) return;
    const source = socket.source;
    catchingUp = catchingUp.then(() => catchUp(gap, { api: deps.api, botId: deps.botId, source, onEnvelope, log }));
  };

  return {
    kind: 'websocket',
    async start(to: Intake) {
      intake = to;
      const remembered = await deps.devices?.load().catch(() => undefined);
      socket = await open(
        {
          onEnvelope,
          onState: (state) =>
            state.kind === 'connected'
              ? readiness.pass(SOCKET_CONDITION)
              : readiness.fail(SOCKET_CONDITION, `${state.kind}: ${state.reason}`),
          onGap,
        },
        remembered,
      );
      const url = socket.deviceUrl;
      if (url && url !== remembered)
        await deps.devices?.save(url).catch((err: unknown) => log.warn('could not remember the device', { err }));
    },
    async stop() {
      await socket?.stopReceiving();
      await catchingUp;
    },
  };
}
