/**
 * Events handed to the framework, until their handler is done. The framework dispatches each
 * event to the handler it matches but does not await it (or report that it matched nothing); so
 * each event is registered here under its message or action id before it is handed over, the
 * framework callback finds it and leaves the handler's promise in it, and the hand-over awaits
 * that promise.
 */
import type { HandleOutcome } from './outcomes.js';
import { withDeadline } from './deadline.js';

/** One event inside the framework. `T` is what the callback needs to know about it. */
export interface InFlightEvent<T> {
  readonly context: T;
  /** Set by the framework callback: the running handler. */
  result?: Promise<HandleOutcome>;
}

/** The events being handed to the framework, by message or action id. */
export class InFlightEvents<T> {
  private readonly events = new Map<string, InFlightEvent<T>>();

  /** The event registered under `id`, for the framework callback. */
  get(id: string): InFlightEvent<T> | undefined {
    return this.events.get(id);
  }

  /**
   * Registers `context` under `id`, runs `handOver` (which makes the framework process the
   * event, within `deadlineMs`), and awaits the handler the framework started. Never rejects.
   */
  async handOver(
    id: string,
    context: T,
    handOver: () => Promise<unknown>,
    deadlineMs: number,
    what: string,
  ): Promise<HandOverResult> {
    const entry: InFlightEvent<T> = { context };
    this.events.set(id, entry);
    try {
      await withDeadline(handOver(), deadlineMs, what);
      return entry.result ? { kind: 'handled', outcome: await entry.result } : { kind: 'not-dispatched' };
    } catch (error) {
      return { kind: 'failed', error, handlerStarted: entry.result !== undefined };
    } finally {
      this.events.delete(id);
    }
  }
}

/** How handing an event to the framework ended. */
export type HandOverResult =
  | { readonly kind: 'handled'; readonly outcome: HandleOutcome }
  /** The framework ran no handler (it could not set up the space, say). */
  | { readonly kind: 'not-dispatched' }
  /** The framework's processing failed (a Webex call, the deadline); maybe after the handler started. */
  | { readonly kind: 'failed'; readonly error: unknown; readonly handlerStarted: boolean };
