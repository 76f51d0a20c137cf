/**
 * How often an outsider is told they are not served: at most once per space per hour, so a
 * refusal can never become spam (or a loop). Remembered in the key-value store, so several
 * instances sharing one store refuse once between them.
 */
import type { KeyValueStore } from '../store/types.js';

/** Default quiet time between two refusals in one space: an hour. */
export const REFUSAL_INTERVAL_MS = 60 * 60 * 1000;

/** What the bot says to someone it does not serve. */
export const REFUSAL_TEXT =
  "Sorry, I can't help you here: I only answer the people my owner has allowed. Ask the bot's owner if you need access.";

/** Decides when a space hears a refusal. */
export class RefusalNotices {
  constructor(
    private readonly store: KeyValueStore,
    private readonly intervalMs = REFUSAL_INTERVAL_MS,
  ) {}

  /** True when the space should be told now (and then not again for the interval). */
  shouldTell(roomId: string): Promise<boolean> {
    return this.store.claim(`refusal:${roomId}`, Date.now(), { ttlMs: this.intervalMs });
  }
}
