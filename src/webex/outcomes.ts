import type { DispatchOutcome } from '../routing/dispatcher.js';

/** How handling one webhook event ended. */
export type HandleOutcome =
  | DispatchOutcome
  /** The bot's own message, echoed back by Webex. */
  | { readonly kind: 'own-message' }
  /** Not for the bot to act on (another bot, a message deleted meanwhile...). */
  | { readonly kind: 'ignored'; readonly reason: string }
  /** The sender is not allowed to use the bot (`ALLOWED_DOMAINS` / `ALLOWED_EMAILS`). */
  | { readonly kind: 'refused' }
  /** No handler ran; `reason` says why. */
  | { readonly kind: 'not-dispatched'; readonly reason: string }
  /** A membership or room event, for the framework's own bookkeeping. */
  | { readonly kind: 'framework-event' };
