/**
 * How events reach the bot. A receiver takes events from one transport — Webex's webhook POSTs
 * (`webhook-receiver.ts`) or Webex's event socket (`socket-receiver.ts`) — verifies them, turns
 * them into webhook envelopes and hands each to the {@link Intake}; nothing after the intake can
 * tell the transports apart. Tests drive the same intake with envelopes of their own.
 */
import type { Intake } from '../events/intake.js';

/** One transport of events into the bot. */
export interface Receiver {
  /** `webhook` or `websocket`, as the banner and `/readyz` say. */
  readonly kind: 'webhook' | 'websocket';
  /** Starts handing events to `intake`; resolves once events can arrive. */
  start(intake: Intake): Promise<void>;
  /**
   * Stops taking events (the socket closes; webhooks are answered 503 so Webex delivers them
   * again later). Events already taken finish in the intake.
   */
  stop(): Promise<void>;
}
