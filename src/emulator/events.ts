/**
 * The emulator's two event streams:
 * - Webex events (`messages/created`, ...) with who may see them, for webhook delivery;
 * - emulator events (`EmulatorEvent`) for `onEvent`, the control API's SSE and the playground.
 * A listener that throws is logged and does not stop the others.
 */
import type { Logger } from '../logging.js';
import type { EmulatorEvent } from './types.js';

/** Distributive Omit, so that each variant of a union keeps its own fields. */
type WithoutAt<T> = T extends unknown ? Omit<T, 'at'> : never;

/** A Webex event, before it is matched against webhooks. */
export interface WebexEvent {
  resource: 'messages' | 'memberships' | 'rooms' | 'attachmentActions';
  event: 'created' | 'updated' | 'deleted';
  actorId: string;
  /** The webhook payload's `data`: ids and a few flags, never content. */
  data: Record<string, unknown> & { id: string };
  /** People allowed to hear it (members of the space; the card's author for submissions). */
  audience: string[];
  /** For the bot mention rule: the space type and who the message mentions. */
  roomType?: 'direct' | 'group';
  mentionedPeople?: string[];
  /** For the `hasFiles` filter: whether the message carries a file. */
  hasFiles?: boolean;
}

/** Fan-out of both streams. */
export class EventBus {
  private readonly listeners = new Set<(e: EmulatorEvent) => void>();
  private readonly webexListeners = new Set<(e: WebexEvent) => void>();

  constructor(private readonly log: Logger) {}

  /** Subscribe to emulator events; returns the unsubscribe function. */
  onEvent(listener: (e: EmulatorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Report an emulator event (its `at` is set here). */
  emit(e: WithoutAt<EmulatorEvent>): void {
    const event = { ...e, at: new Date().toISOString() } as EmulatorEvent;
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (err) {
        this.log.warn('emulator event listener threw', { kind: event.kind, err });
      }
    }
  }

  /** Subscribe to Webex events (the webhook dispatcher does). */
  onWebexEvent(listener: (e: WebexEvent) => void): () => void {
    this.webexListeners.add(listener);
    return () => void this.webexListeners.delete(listener);
  }

  publish(e: WebexEvent): void {
    for (const l of [...this.webexListeners]) {
      try {
        l(e);
      } catch (err) {
        this.log.error('webex event listener threw', { resource: e.resource, event: e.event, err });
      }
    }
  }
}
