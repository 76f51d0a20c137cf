/**
 * The benchmark's emulator: its delivery settings for load, and bookkeeping between and after
 * runs (removing the previous bot's webhooks, so that only the bot under measurement hears
 * events, and totalling call counts).
 */
import type { DeliveryOptions, Emulator } from '../../src/emulator/index.js';

/** Deletes every webhook, in process (no REST call, so no call is counted and no latency paid). */
export function removeWebhooks(emulator: Emulator): void {
  for (const w of emulator.webhooks()) emulator.removeWebhook(w.id);
}

/** All calls of a `calls()` snapshot, summed over the endpoints. */
export function callTotal(calls: Readonly<Record<string, number>>): number {
  return Object.values(calls).reduce((sum, n) => sum + n, 0);
}

/**
 * Webhook delivery as the load benchmarks configure it, like Webex's (which does not publish its
 * own): 10 s for a receiver to answer, then 4 retries 5, 10, 20 and 40 s apart (75 s in all), and
 * a webhook marked inactive after 5 events in a row that failed every attempt.
 */
export const WEBEX_LIKE_DELIVERY: Readonly<Required<Omit<DeliveryOptions, 'duplicates'>>> = {
  timeoutMs: 10_000,
  retryDelaysMs: [5_000, 10_000, 20_000, 40_000],
  inactiveAfterFailures: 5,
};
